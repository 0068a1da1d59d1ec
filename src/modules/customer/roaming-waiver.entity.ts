import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { WaiverSource } from './customer.enums';

/** A neighbouring province's or city's cell that picks up calls at the border. */
@ObjectType({ description: 'A border cell: roaming charges picked up by it are waived automatically' })
@Entity('border_cell')
export class BorderCell {
  @Field()
  @PrimaryColumn({ type: 'varchar', length: 32 })
  cellId: string;

  /** Our region the cell borders on (the waived lines' region when the line has no record). */
  @Column({ type: 'int' })
  regionId: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  description: string;
}

/**
 * A waived roaming charge for one line and one billing month. Unique per line, month, source and
 * cell: the same AUTO list applied twice waives nothing twice.
 */
@ObjectType({ description: 'A border roaming charge waived for one line and month' })
@Entity('roaming_waiver')
@Index('uq_roaming_waiver', ['msisdn', 'period', 'source', 'cellKey'], { unique: true })
@Index('idx_roaming_waiver_period_region', ['period', 'regionId'])
export class RoamingWaiver {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 20 })
  msisdn: string;

  @Column({ type: 'int' })
  regionId: number;

  @Field({ description: '"YYYY-MM": the billing month waived' })
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Field(() => SafeInt)
  @FenColumn()
  amountFen: number;

  @Field(() => WaiverSource)
  @EnumColumn(WaiverSource)
  source: WaiverSource;

  /** AUTO: the border cell; MANUAL: 'M' + the waiver's own key; COMPLAINT: 'C' + the complaint id. */
  @Column({ type: 'varchar', length: 40 })
  cellKey: string;

  @Column({ type: 'int', nullable: true })
  complaintId: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;

  @Column({ type: 'int', nullable: true })
  createdById: number | null;
}
