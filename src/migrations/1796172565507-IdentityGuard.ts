import { MigrationInterface, QueryRunner } from 'typeorm';

/** Buckets of identity hashes that submissions write on a Galera cluster, so that certification sees two nodes counting one identity's lines (identity-guard.entity.ts). */
export class IdentityGuard1796172565507 implements MigrationInterface {
  name = 'IdentityGuard1796172565507';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`identity_guard\` (\`bucket\` int UNSIGNED NOT NULL, \`version\` bigint UNSIGNED NOT NULL DEFAULT '0', PRIMARY KEY (\`bucket\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`identity_guard\``);
  }
}
