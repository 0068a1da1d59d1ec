import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How far the audit of a batch has got' })
export class AuditProgress {
  @Field(() => Int)
  recorded: number;

  @Field(() => Int)
  pending: number;

  @Field(() => Int)
  passed: number;

  @Field(() => Int)
  failed: number;

  @Field(() => Int, { description: 'Findings recorded on failed items' })
  findings: number;
}

@ObjectType({ description: 'What recomputeRiskScores did' })
export class RiskRecomputation {
  @Field(() => Int)
  agents: number;

  @Field(() => Int, { description: 'Agents whose score changed' })
  changed: number;
}
