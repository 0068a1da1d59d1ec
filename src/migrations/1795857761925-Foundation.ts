import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795857761925 implements MigrationInterface {
  name = 'Foundation1795857761925';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`login_attempt\` (\`id\` int NOT NULL AUTO_INCREMENT, \`username\` varchar(64) NOT NULL, \`ip\` varchar(64) NOT NULL, \`at\` datetime(3) NOT NULL, \`success\` tinyint NOT NULL, INDEX \`idx_login_attempt_ip\` (\`ip\`, \`at\`), INDEX \`idx_login_attempt_user\` (\`username\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`app_user\` (\`id\` int NOT NULL AUTO_INCREMENT, \`username\` varchar(64) NOT NULL, \`passwordHash\` varchar(255) NOT NULL, \`role\` varchar(16) NOT NULL, \`repairPartnerId\` int NULL, \`agentId\` int NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`createdAt\` datetime(3) NOT NULL, INDEX \`IDX_40dc017fe6c681e603b9c4c97c\` (\`repairPartnerId\`), INDEX \`IDX_90fe9422f10683e514e8bbe8cc\` (\`agentId\`), UNIQUE INDEX \`IDX_c480e576dd71729addbc2d51b6\` (\`username\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`change_log\` (\`id\` int NOT NULL AUTO_INCREMENT, \`at\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, \`action\` varchar(64) NOT NULL, \`entityType\` varchar(48) NOT NULL, \`entityId\` varchar(64) NOT NULL, \`data\` text NULL, INDEX \`idx_change_log_entity\` (\`entityType\`, \`entityId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`region\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(64) NOT NULL, \`kind\` varchar(16) NOT NULL, UNIQUE INDEX \`IDX_74f7723fdff738f92929c0056c\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_74f7723fdff738f92929c0056c\` ON \`region\``);
    await queryRunner.query(`DROP TABLE \`region\``);
    await queryRunner.query(`DROP INDEX \`idx_change_log_entity\` ON \`change_log\``);
    await queryRunner.query(`DROP TABLE \`change_log\``);
    await queryRunner.query(`DROP INDEX \`IDX_c480e576dd71729addbc2d51b6\` ON \`app_user\``);
    await queryRunner.query(`DROP INDEX \`IDX_90fe9422f10683e514e8bbe8cc\` ON \`app_user\``);
    await queryRunner.query(`DROP INDEX \`IDX_40dc017fe6c681e603b9c4c97c\` ON \`app_user\``);
    await queryRunner.query(`DROP TABLE \`app_user\``);
    await queryRunner.query(`DROP INDEX \`idx_login_attempt_user\` ON \`login_attempt\``);
    await queryRunner.query(`DROP INDEX \`idx_login_attempt_ip\` ON \`login_attempt\``);
    await queryRunner.query(`DROP TABLE \`login_attempt\``);
  }
}
