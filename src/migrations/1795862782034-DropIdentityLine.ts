import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identities' live lines are counted from registration's idHash index right after each write, so
 * the per-identity counter table goes: on a bulk load with a small buffer pool its random-key
 * pages competed with the registration indexes and doubled the disk reads.
 */
export class DropIdentityLine1795862782034 implements MigrationInterface {
  name = 'DropIdentityLine1795862782034';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`identity_line\``);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`identity_line\` (\`idHash\` varchar(44) NOT NULL, \`lineCount\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`idHash\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `INSERT INTO \`identity_line\` (\`idHash\`, \`lineCount\`) SELECT \`idHash\`, COUNT(*) FROM \`registration\` WHERE \`status\` IN ('PENDING_ACTIVATION', 'ACTIVE') GROUP BY \`idHash\``,
    );
  }
}
