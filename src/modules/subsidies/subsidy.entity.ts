import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { RepairPartner } from '../repair/repair-partner.entity';

export enum SubsidyType {
  WAGE = 'WAGE',
  EQUIPMENT = 'EQUIPMENT',
  LOANER_PHONES = 'LOANER_PHONES',
  PARTS_FUND = 'PARTS_FUND',
  PREMISES = 'PREMISES',
  OTHER = 'OTHER',
}
registerEnumType(SubsidyType, {
  name: 'SubsidyType',
  valuesConfig: {
    WAGE: { description: 'Wage subsidy (工資扶持), one entry per partner and month' },
    EQUIPMENT: { description: 'Repair equipment (維修設備) paid for or maintained by the branch' },
    LOANER_PHONES: { description: 'Loaner phones (備機) given to the shop' },
    PARTS_FUND: { description: 'Support through the parts revolving fund (配件周轉資金)' },
    PREMISES: { description: 'Free premises in the branch halls (免費營業場地)' },
    OTHER: { description: 'Anything else: training, signage, ...' },
  },
});

/** Labels for reports and exports: English, then the document's term. */
export const SUBSIDY_TYPE_LABELS: Record<SubsidyType, string> = {
  [SubsidyType.WAGE]: 'Wage subsidy 工資扶持',
  [SubsidyType.EQUIPMENT]: 'Repair equipment 維修設備',
  [SubsidyType.LOANER_PHONES]: 'Loaner phones 備機',
  [SubsidyType.PARTS_FUND]: 'Parts fund 配件周轉資金',
  [SubsidyType.PREMISES]: 'Free premises 免費營業場地',
  [SubsidyType.OTHER]: 'Other 其他',
};

/**
 * The subsidy register: one row per amount the branch gave a partner for a month. Rows are only
 * inserted; a mistake is undone by a reversal row (negative amount, `reversesId` pointing at the
 * entry), so every fen stays traceable.
 */
@ObjectType({ description: 'One entry of the subsidy register' })
@Entity('subsidy')
@Index('idx_subsidy_period_partner', ['period', 'partnerId'])
@Index('idx_subsidy_partner_period', ['partnerId', 'period', 'id'])
@Index('idx_subsidy_type_period', ['type', 'period'])
// One WAGE entry per partner and month, whoever writes it and however concurrently: the key column
// is the period for WAGE rows and NULL otherwise (NULLs never collide, on MariaDB and SQLite alike).
@Index('uq_subsidy_wage', ['partnerId', 'wagePeriod'], { unique: true })
export class Subsidy {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => ID)
  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Field(() => SubsidyType)
  @EnumColumn(SubsidyType)
  type: SubsidyType;

  @Field({ description: 'The month it is for, "YYYY-MM" (Asia/Shanghai)' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => SafeInt, { description: 'Negative only on a reversal' })
  @FenColumn()
  amountFen: number;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  /**
   * The unique key's column: the period on the WAGE entry that currently stands for its partner and
   * month, NULL on every other row. A correction moves it from the reversed entry to its replacement.
   */
  @Column({ type: 'varchar', length: 7, nullable: true })
  wagePeriod: string | null;

  @Field(() => ID, { nullable: true, description: 'Set on a reversal: the entry it cancels' })
  @Index('uq_subsidy_reverses', { unique: true })
  @Column({ type: 'int', nullable: true })
  reversesId: number | null;

  /** Rows written by one generateWageSubsidies call share it, so that call can report exactly what it added. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  batchId: string | null;

  @Column({ type: 'int', nullable: true })
  recordedById: number | null;

  @Field()
  @DateTimeColumn()
  recordedAt: Date;
}
