import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { LoanerPhone, LoanerStatus } from './loaner-phone.entity';

export enum LoanerEventType {
  REGISTERED = 'REGISTERED',
  ALLOCATED = 'ALLOCATED',
  TAKEN_BACK = 'TAKEN_BACK',
  LENT = 'LENT',
  LOAN_EXTENDED = 'LOAN_EXTENDED',
  RETURNED = 'RETURNED',
  SERVICE_COMPLETED = 'SERVICE_COMPLETED',
  RETIRED = 'RETIRED',
}
registerEnumType(LoanerEventType, { name: 'LoanerEventType' });

/** The history of one loaner: every move it made, append-only. */
@ObjectType()
@Entity('loaner_event')
@Index('idx_loaner_event_loaner', ['loanerId', 'id'])
export class LoanerEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  loanerId: number;

  @ManyToOne(() => LoanerPhone, { nullable: false })
  @JoinColumn({ name: 'loanerId' })
  loanerRef?: LoanerPhone;

  @Field(() => LoanerEventType)
  @EnumColumn(LoanerEventType)
  type: LoanerEventType;

  @Field(() => LoanerStatus, { nullable: true })
  @EnumColumn(LoanerStatus, { nullable: true })
  fromStatus: LoanerStatus | null;

  @Field(() => LoanerStatus)
  @EnumColumn(LoanerStatus)
  toStatus: LoanerStatus;

  /** The partner concerned (allocated to, taken back from, lent by); partners see only their own events. */
  @Column({ type: 'int', nullable: true })
  partnerId: number | null;

  @Column({ type: 'int', nullable: true })
  loanId: number | null;

  @Field()
  @DateTimeColumn()
  at: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who did it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;
}
