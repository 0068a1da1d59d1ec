import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { CallbackOutcome } from './customer.enums';

/**
 * One of the three calls to a new customer (關懷回訪), scheduled when the line is activated. Its
 * outcome is written once, by a conditional UPDATE ... WHERE outcome IS NULL.
 */
@ObjectType({ description: 'A scheduled call to a newly activated customer' })
@Entity('customer_callback')
@Unique('uq_callback_registration_seq', ['registrationId', 'seq'])
@Index('idx_callback_queue', ['outcome', 'dueAt'])
@Index('idx_callback_agent_due', ['agentId', 'dueAt'])
@Index('idx_callback_region_due', ['regionId', 'dueAt'])
export class CustomerCallback {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  registrationId: number;

  @Column({ type: 'int' })
  agentId: number;

  /** The agent's region when the callback was scheduled (queue filter). */
  @Column({ type: 'int' })
  regionId: number;

  @Field()
  @Column({ type: 'varchar', length: 20 })
  msisdn: string;

  @Field(() => Int, { description: "1, 2 or 3: which of the line's callbacks" })
  @Column({ type: 'int' })
  seq: number;

  @Field(() => Int, { description: 'Days after activation this call is due' })
  @Column({ type: 'int' })
  dayOffset: number;

  @Field()
  @DateTimeColumn()
  dueAt: Date;

  @Field(() => CallbackOutcome, { nullable: true, description: 'null until the call is made' })
  @EnumColumn(CallbackOutcome, { nullable: true })
  outcome: CallbackOutcome | null;

  /** The caller's note; hidden from the agent (see the resolver). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  doneAt: Date | null;

  @Column({ type: 'int', nullable: true })
  doneById: number | null;

  /** The audit finding a DENIES_OWNERSHIP or DATA_MISMATCH outcome created. */
  @Column({ type: 'int', nullable: true })
  findingId: number | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
