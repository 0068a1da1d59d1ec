import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { FindingType } from './audit.enums';

/** How much one finding of a type costs the agent. A penalty copies the amount when it is proposed. */
@ObjectType({ description: 'The penalty proposed for one finding of a type; changing it leaves earlier penalties alone' })
@Entity('penalty_rule')
export class PenaltyRule {
  @Field(() => FindingType, { name: 'type' })
  @PrimaryColumn({ type: 'varchar', length: 16 })
  findingType: FindingType;

  @Field(() => SafeInt, { description: 'Amount for a first or second finding of this type within 90 days' })
  @FenColumn()
  amountFen: number;

  @Field()
  @Column({ type: 'varchar', length: 255, default: '' })
  description: string;

  @Field()
  @DateTimeColumn()
  updatedAt: Date;

  @Column({ type: 'int', nullable: true })
  updatedById: number | null;
}
