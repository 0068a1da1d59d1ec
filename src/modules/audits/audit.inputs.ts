import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AuditBatchStatus, AuditOutcome, AuditStrategy, FindingType } from './audit.enums';

export const MAX_SAMPLE = 5000;
export const MAX_SAMPLE_AGENTS = 1000;

@InputType()
export class CreateAuditBatchInput {
  @Field({ description: '"YYYY-MM": records whose openedAt falls in this Asia/Shanghai month are sampled' })
  period: string;

  @Field(() => AuditStrategy)
  strategy: AuditStrategy;

  @Field(() => Int, { description: `How many records to draw, 1 to ${MAX_SAMPLE}` })
  @Min(1)
  @Max(MAX_SAMPLE)
  sampleSize: number;

  @Field(() => [ID], { nullable: true, description: `Sample only these agents' records (at most ${MAX_SAMPLE_AGENTS}); leave out for all agents` })
  @IsOptional()
  @ArrayMaxSize(MAX_SAMPLE_AGENTS)
  agentIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Seed of the draw, 0 to 2147483646; a random one is chosen and kept when left out' })
  @IsOptional()
  @Min(0)
  @Max(2147483646)
  seed?: number | null;

  @Field({ nullable: true, description: 'Leave out records an earlier batch already drew (default false)' })
  excludeAudited?: boolean;
}

@InputType()
export class FindingInput {
  @Field(() => FindingType)
  type: FindingType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;
}

@InputType()
export class AuditBatchFilter {
  @Field({ nullable: true })
  period?: string;

  @Field(() => AuditBatchStatus, { nullable: true })
  status?: AuditBatchStatus;

  @Field(() => AuditStrategy, { nullable: true })
  strategy?: AuditStrategy;
}

@InputType()
export class AuditItemFilter {
  @Field(() => AuditOutcome, { nullable: true })
  outcome?: AuditOutcome;

  @Field({ nullable: true, description: 'true: only items without a result yet; false: only items with one' })
  pending?: boolean;

  @Field(() => ID, { nullable: true })
  agentId?: string;
}
