import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentsRegistrations1795858548151 implements MigrationInterface {
  name = 'AgentsRegistrations1795858548151';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`agent_status_change\` (\`id\` int NOT NULL AUTO_INCREMENT, \`agentId\` int NOT NULL, \`fromStatus\` varchar(16) NOT NULL, \`toStatus\` varchar(16) NOT NULL, \`reason\` varchar(500) NOT NULL, \`at\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, INDEX \`idx_agent_status_change_agent\` (\`agentId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`tariff_plan\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(128) NOT NULL, \`network\` varchar(16) NOT NULL, \`monthlyFeeFen\` bigint NOT NULL DEFAULT '0', UNIQUE INDEX \`IDX_7ff06db2db62788478ce404094\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`identity_line\` (\`idHash\` varchar(44) NOT NULL, \`lineCount\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`idHash\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(`ALTER TABLE \`agent\` ADD \`statusReason\` varchar(500) NULL`);
    await queryRunner.query(`ALTER TABLE \`agent\` ADD \`statusChangedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`agent\` ADD \`updatedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`customerName\` varchar(64) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`idType\` varchar(16) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`idCipher\` varchar(96) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`idKeyId\` varchar(32) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`idHash\` varchar(44) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`idMasked\` varchar(20) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`tariffPlanCode\` varchar(32) NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`statusReason\` varchar(500) NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`statusChangedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`activationSeconds\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`activeMsisdn\` varchar(11) NULL`);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`importKey\` varchar(24) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_agent_kind_code\` ON \`agent\` (\`kind\`, \`code\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_agent_status_code\` ON \`agent\` (\`status\`, \`code\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_key\` ON \`registration\` (\`idKeyId\`, \`id\`)`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_registration_import_key\` ON \`registration\` (\`importKey\`)`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_registration_active_msisdn\` ON \`registration\` (\`activeMsisdn\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_msisdn\` ON \`registration\` (\`msisdn\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_id_hash\` ON \`registration\` (\`idHash\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_opened\` ON \`registration\` (\`openedAt\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_registration_opened\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_id_hash\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_msisdn\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`uq_registration_active_msisdn\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`uq_registration_import_key\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_key\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_agent_status_code\` ON \`agent\``);
    await queryRunner.query(`DROP INDEX \`idx_agent_kind_code\` ON \`agent\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`importKey\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`activeMsisdn\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`activationSeconds\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`statusChangedAt\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`statusReason\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`tariffPlanCode\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`idMasked\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`idHash\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`idKeyId\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`idCipher\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`idType\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`customerName\``);
    await queryRunner.query(`ALTER TABLE \`agent\` DROP COLUMN \`updatedAt\``);
    await queryRunner.query(`ALTER TABLE \`agent\` DROP COLUMN \`statusChangedAt\``);
    await queryRunner.query(`ALTER TABLE \`agent\` DROP COLUMN \`statusReason\``);
    await queryRunner.query(`DROP TABLE \`identity_line\``);
    await queryRunner.query(`DROP INDEX \`IDX_7ff06db2db62788478ce404094\` ON \`tariff_plan\``);
    await queryRunner.query(`DROP TABLE \`tariff_plan\``);
    await queryRunner.query(`DROP INDEX \`idx_agent_status_change_agent\` ON \`agent_status_change\``);
    await queryRunner.query(`DROP TABLE \`agent_status_change\``);
  }
}
