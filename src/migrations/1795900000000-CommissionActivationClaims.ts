import { MigrationInterface, QueryRunner } from 'typeorm';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function bounds(period: string): [string, string] {
  const [y, m] = period.split('-').map(Number);
  const db = (ms: number) => new Date(ms - SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  return [db(Date.UTC(y, m - 1, 1)), db(Date.UTC(y, m, 1))];
}

/**
 * Each activation records the commission period that pays it (registration.commissionPeriod), so an
 * activation that arrives after its month was closed is paid once by a later period
 * (commission_statement.lateActivations). Activations of months settled before this change were
 * paid by their own month: they are marked so, or the next settlement would pay them again.
 */
export class CommissionActivationClaims1795900000000 implements MigrationInterface {
  name = 'CommissionActivationClaims1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`commissionPeriod\` varchar(7) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_commission\` ON \`registration\` (\`commissionPeriod\`, \`activatedAt\`, \`agentId\`)`);
    await queryRunner.query(`ALTER TABLE \`commission_statement\` ADD \`lateActivations\` int NOT NULL DEFAULT 0`);
    const periods: { period: string }[] = await queryRunner.query('SELECT period FROM `commission_period`');
    for (const { period } of periods) {
      const [from, to] = bounds(period);
      await queryRunner.query(
        `UPDATE \`registration\` SET \`commissionPeriod\` = ?
          WHERE \`commissionPeriod\` IS NULL AND \`status\` IN ('ACTIVE', 'CANCELLED') AND \`activatedAt\` >= ? AND \`activatedAt\` < ?`,
        [period, from, to],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`commission_statement\` DROP COLUMN \`lateActivations\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_commission\` ON \`registration\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`commissionPeriod\``);
  }
}
