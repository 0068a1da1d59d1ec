import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { CommissionStatus } from './audit.enums';

/**
 * A settled commission period and its totals. Its row is the lock settlement and closing take
 * (a conditional UPDATE ... WHERE status = 'OPEN'), so they never interleave for one period.
 */
@ObjectType('SettlementResult', { description: "A commission period's settlement: status and the totals of its statements" })
@Entity('commission_period')
export class CommissionPeriod {
  @Field({ description: '"YYYY-MM", Asia/Shanghai month' })
  @PrimaryColumn({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => CommissionStatus)
  @EnumColumn(CommissionStatus)
  status: CommissionStatus;

  @Column({ type: 'int', default: 0 })
  revision: number;

  @Field(() => Int, { description: 'Statements in the period: one per agent' })
  @Column({ type: 'int', default: 0 })
  statementCount: number;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  activations: number;

  @Field(() => SafeInt)
  @FenColumn()
  grossFen: number;

  @Field(() => SafeInt)
  @FenColumn()
  penaltiesFen: number;

  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  penaltyCount: number;

  @Field(() => SafeInt)
  @FenColumn()
  carriedInFen: number;

  @Field(() => SafeInt)
  @FenColumn()
  netFen: number;

  @Field(() => SafeInt)
  @FenColumn()
  carriedOutFen: number;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  settledAt: Date | null;

  @Column({ type: 'int', nullable: true })
  settledById: number | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  closedById: number | null;
}
