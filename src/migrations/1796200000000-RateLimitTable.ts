import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of the rate limits when they live in the database (RATE_LIMIT_STORE=database,
 * src/common/rate-limits.ts): rate-limiter-flexible's RateLimiterMySQL table, created here because
 * migrations own the schema (the library is told it exists). Keys are ASCII ("user:12", "addr:…").
 */
export class RateLimitTable1796200000000 implements MigrationInterface {
  name = 'RateLimitTable1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `rate_limit` (`key` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, `points` int NOT NULL DEFAULT 0, `expire` bigint UNSIGNED NULL, PRIMARY KEY (`key`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `rate_limit`');
  }
}
