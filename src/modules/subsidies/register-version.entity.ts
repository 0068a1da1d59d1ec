import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row (id 1) counting the subsidy register's writes: every insert into the register bumps it in
 * the same transaction (bumpRegisterVersion), so a process that summed the register at version v
 * knows its sums still hold while the row says v (finance.service.ts, subsidyTotals).
 */
@Entity('subsidy_register_version')
export class SubsidyRegisterVersion {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  version: number;
}
