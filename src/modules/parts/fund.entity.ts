import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/**
 * The revolving fund as one row (id 1): what all partners owe it together, and its policy (the
 * limit, the default per-partner cap), so every process reads the same policy. Draws are a
 * conditional write `outstandingFen + ? <= limitFen` on this row, so it never goes over the limit
 * whatever the concurrency.
 */
@Entity('parts_fund')
export class PartsFund {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @FenColumn()
  outstandingFen: number;

  /** null only before the policy is first seeded (from PARTS_FUND_LIMIT_FEN); draws are refused then. */
  @FenColumn({ nullable: true, default: null })
  limitFen: number | null;

  /** The cap of a partner without one of its own; null: none (only the fund's limit). */
  @FenColumn({ nullable: true, default: null })
  defaultPartnerCapFen: number | null;

  @DateTimeColumn({ nullable: true })
  policyChangedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  policyChangedBy: string | null;

  @DateTimeColumn()
  updatedAt: Date;
}

/** One partner's account with the fund: its balance, its totals and an optional cap of its own. */
@Entity('fund_account')
export class FundAccount {
  @PrimaryColumn({ type: 'int' })
  partnerId: number;

  /** null: no cap of its own, only the fund's limit. */
  @FenColumn({ nullable: true, default: null })
  capFen: number | null;

  @FenColumn()
  drawnFen: number;

  /** Repayments and return credits together. */
  @FenColumn()
  creditedFen: number;

  /** drawnFen - creditedFen; negative is a credit the partner holds (parts returned after repaying). */
  @FenColumn()
  outstandingFen: number;

  @DateTimeColumn()
  updatedAt: Date;
}

export enum FundEntryKind {
  DRAW = 'DRAW',
  REPAYMENT = 'REPAYMENT',
  RETURN_CREDIT = 'RETURN_CREDIT',
}
registerEnumType(FundEntryKind, {
  name: 'FundEntryKind',
  valuesConfig: {
    DRAW: { description: 'Parts issued to the partner at cost (positive)' },
    REPAYMENT: { description: 'Money the partner paid back, recorded by finance (negative)' },
    RETURN_CREDIT: { description: 'Unused parts returned to the centre, at what they were charged (negative)' },
  },
});

/**
 * The fund's own append-only ledger. Signed: a partner's entries sum to what it owes, all entries
 * to the fund's outstanding; `npm run check:ledger` proves both.
 */
@ObjectType({ description: 'A draw on or a repayment to the revolving fund' })
@Entity('fund_ledger_entry')
@Index('idx_fund_ledger_partner', ['partnerId', 'kind', 'id'])
@Index('idx_fund_ledger_at', ['at'])
@Index('uq_fund_ledger_reference', ['partnerId', 'reference'], { unique: true })
export class FundLedgerEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @Field(() => FundEntryKind)
  @EnumColumn(FundEntryKind)
  kind: FundEntryKind;

  @Field(() => SafeInt, { description: 'Signed: positive increases what the partner owes, negative reduces it' })
  @FenColumn()
  amountFen: number;

  @Field(() => ID, { nullable: true, description: 'The issue a DRAW is for' })
  @Column({ type: 'int', nullable: true })
  issueId: number | null;

  @Field(() => ID, { nullable: true, description: 'The return a RETURN_CREDIT is for' })
  @Column({ type: 'int', nullable: true })
  returnId: number | null;

  @Field(() => String, { nullable: true, description: 'Payment reference of a repayment (unique per partner)' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;

  @Field()
  @DateTimeColumn()
  at: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
