import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoreEntities1795857904627 implements MigrationInterface {
  name = 'CoreEntities1795857904627';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`agent\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(128) NOT NULL, \`kind\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`regionId\` int NOT NULL, \`contactName\` varchar(64) NULL, \`contactPhone\` varchar(32) NULL, \`commissionPerActivationFen\` bigint NOT NULL DEFAULT '0', \`riskScore\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_agent_region_status\` (\`regionId\`, \`status\`, \`id\`), UNIQUE INDEX \`IDX_bf0c06693f81a4a01eef68bda2\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`registration\` (\`id\` int NOT NULL AUTO_INCREMENT, \`agentId\` int NOT NULL, \`msisdn\` varchar(11) NOT NULL, \`network\` varchar(16) NOT NULL, \`status\` varchar(18) NOT NULL, \`openedAt\` datetime(3) NOT NULL, \`submittedAt\` datetime(3) NOT NULL, \`activatedAt\` datetime(3) NULL, \`flags\` varchar(160) NOT NULL DEFAULT '', \`flagged\` tinyint NOT NULL DEFAULT 0, INDEX \`idx_registration_status_activated\` (\`status\`, \`activatedAt\`), INDEX \`idx_registration_agent\` (\`agentId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_partner\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(128) NOT NULL, \`regionId\` int NOT NULL, \`address\` varchar(255) NULL, \`premisesProvided\` tinyint NOT NULL DEFAULT 0, \`monthlyWageSubsidyFen\` bigint NOT NULL DEFAULT '0', \`status\` varchar(16) NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_ccf69cd1e6836e6d38594cb81b\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_order\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`customerMsisdn\` varchar(11) NOT NULL, \`brand\` varchar(64) NOT NULL, \`model\` varchar(64) NOT NULL, \`serial\` varchar(20) NOT NULL, \`fault\` varchar(500) NOT NULL, \`underWarranty\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) NOT NULL, \`openedAt\` datetime(3) NOT NULL, INDEX \`idx_repair_order_partner\` (\`partnerId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`stock_location\` (\`id\` int NOT NULL AUTO_INCREMENT, \`kind\` varchar(16) NOT NULL, \`partnerId\` int NULL, \`name\` varchar(128) NOT NULL, UNIQUE INDEX \`IDX_02bbc2269684d1af148923ca88\` (\`partnerId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `ALTER TABLE \`agent\` ADD CONSTRAINT \`FK_d25f19757169afcbceffb52febf\` FOREIGN KEY (\`regionId\`) REFERENCES \`region\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`registration\` ADD CONSTRAINT \`FK_4d9eb9741a1a3ee7b60e2182d8c\` FOREIGN KEY (\`agentId\`) REFERENCES \`agent\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`repair_partner\` ADD CONSTRAINT \`FK_b5a3c087cc7f9e7e790cb493758\` FOREIGN KEY (\`regionId\`) REFERENCES \`region\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`repair_order\` ADD CONSTRAINT \`FK_770e5ae8d2ba7428f5711fff81a\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP FOREIGN KEY \`FK_770e5ae8d2ba7428f5711fff81a\``);
    await queryRunner.query(`ALTER TABLE \`repair_partner\` DROP FOREIGN KEY \`FK_b5a3c087cc7f9e7e790cb493758\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP FOREIGN KEY \`FK_4d9eb9741a1a3ee7b60e2182d8c\``);
    await queryRunner.query(`ALTER TABLE \`agent\` DROP FOREIGN KEY \`FK_d25f19757169afcbceffb52febf\``);
    await queryRunner.query(`DROP INDEX \`IDX_02bbc2269684d1af148923ca88\` ON \`stock_location\``);
    await queryRunner.query(`DROP TABLE \`stock_location\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_partner\` ON \`repair_order\``);
    await queryRunner.query(`DROP TABLE \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`IDX_ccf69cd1e6836e6d38594cb81b\` ON \`repair_partner\``);
    await queryRunner.query(`DROP TABLE \`repair_partner\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_agent\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_status_activated\` ON \`registration\``);
    await queryRunner.query(`DROP TABLE \`registration\``);
    await queryRunner.query(`DROP INDEX \`IDX_bf0c06693f81a4a01eef68bda2\` ON \`agent\``);
    await queryRunner.query(`DROP INDEX \`idx_agent_region_status\` ON \`agent\``);
    await queryRunner.query(`DROP TABLE \`agent\``);
  }
}
