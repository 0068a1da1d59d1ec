import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { DepositEntryKind } from './customer.enums';

/**
 * A content provider (SP) and its deposit with the branch. depositFen and debtFen are kept in step
 * with the ledger by conditional writes (depositFen never goes below zero); the ledger's sums equal
 * them (`spDepositCheck`).
 */
@ObjectType({ description: 'A content provider (SP) with a deposit lodged with the branch' })
@Entity('service_provider')
@Index('uq_service_provider_code', ['code'], { unique: true })
export class ServiceProvider {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => SafeInt, { description: 'The deposit held now (fen), never negative' })
  @FenColumn()
  depositFen: number;

  @Field(() => SafeInt, { description: 'What the SP owes the branch (fen): refunds and fines its deposit could not cover' })
  @FenColumn()
  debtFen: number;

  @Field()
  @DateTimeColumn()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  updatedAt: Date | null;
}

/** Append-only. amountFen is the signed change to the deposit, debtFen the signed change to the debt. */
@ObjectType({ description: "An entry in an SP's deposit ledger" })
@Entity('sp_deposit_entry')
@Index('idx_sp_deposit_sp', ['spId', 'id'])
@Index('idx_sp_deposit_period', ['period', 'kind'])
export class SpDepositEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  spId: number;

  @Field(() => DepositEntryKind)
  @EnumColumn(DepositEntryKind)
  kind: DepositEntryKind;

  @Field(() => SafeInt, { description: 'The amount of the event (fen, positive): lodged, topped up, refunded or fined' })
  @FenColumn()
  grossFen: number;

  @Field(() => SafeInt, { description: 'Signed change to the deposit (fen)' })
  @FenColumn()
  amountFen: number;

  @Field(() => SafeInt, { description: 'Signed change to the debt (fen): positive when the deposit fell short, negative when a top-up paid debt off' })
  @FenColumn()
  debtFen: number;

  @Field(() => SafeInt, { description: 'The deposit after this entry' })
  @FenColumn()
  balanceAfterFen: number;

  @Column({ type: 'int', nullable: true })
  complaintId: number | null;

  @Field({ description: '"YYYY-MM": the Asia/Shanghai month of the entry' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;

  @Field()
  @DateTimeColumn()
  at: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;
}
