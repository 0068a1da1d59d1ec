import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountsSessions1796171927759 implements MigrationInterface {
  name = 'AccountsSessions1796171927759';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`login_counter\` (\`counterKey\` varchar(160) NOT NULL, \`failures\` int NOT NULL DEFAULT '0', \`windowStart\` datetime(3) NOT NULL, \`nextAllowedAt\` datetime(3) NULL, PRIMARY KEY (\`counterKey\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(`ALTER TABLE \`app_user\` ADD \`displayName\` varchar(100) NULL`);
    await queryRunner.query(`ALTER TABLE \`app_user\` ADD \`tokenVersion\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`app_user\` ADD \`mustChangePassword\` tinyint NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`app_user\` DROP COLUMN \`mustChangePassword\``);
    await queryRunner.query(`ALTER TABLE \`app_user\` DROP COLUMN \`tokenVersion\``);
    await queryRunner.query(`ALTER TABLE \`app_user\` DROP COLUMN \`displayName\``);
    await queryRunner.query(`DROP TABLE \`login_counter\``);
  }
}
