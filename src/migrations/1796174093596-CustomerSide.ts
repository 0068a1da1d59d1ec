import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerSide1796174093596 implements MigrationInterface {
  name = 'CustomerSide1796174093596';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`customer_callback\` (\`id\` int NOT NULL AUTO_INCREMENT, \`registrationId\` int NOT NULL, \`agentId\` int NOT NULL, \`regionId\` int NOT NULL, \`msisdn\` varchar(20) NOT NULL, \`seq\` int NOT NULL, \`dayOffset\` int NOT NULL, \`dueAt\` datetime(3) NOT NULL, \`outcome\` varchar(16) NULL, \`note\` varchar(1000) NULL, \`doneAt\` datetime(3) NULL, \`doneById\` int NULL, \`findingId\` int NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_callback_region_due\` (\`regionId\`, \`dueAt\`), INDEX \`idx_callback_agent_due\` (\`agentId\`, \`dueAt\`), INDEX \`idx_callback_queue\` (\`outcome\`, \`dueAt\`), UNIQUE INDEX \`uq_callback_registration_seq\` (\`registrationId\`, \`seq\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`complaint\` (\`id\` int NOT NULL AUTO_INCREMENT, \`msisdn\` varchar(20) NOT NULL, \`registrationId\` int NULL, \`category\` varchar(16) NOT NULL, \`agentId\` int NULL, \`repairPartnerId\` int NULL, \`spId\` int NULL, \`regionId\` int NULL, \`description\` varchar(2000) NOT NULL, \`disputedAmountFen\` bigint NULL, \`receivedAt\` datetime(3) NOT NULL, \`dueAt\` datetime(3) NOT NULL, \`period\` varchar(7) NOT NULL, \`state\` varchar(16) NOT NULL, \`outcome\` varchar(16) NULL, \`resolutionNote\` varchar(1000) NULL, \`startedAt\` datetime(3) NULL, \`resolvedAt\` datetime(3) NULL, \`resolutionSeconds\` int NULL, \`closedAt\` datetime(3) NULL, \`openedById\` int NOT NULL, \`resolvedById\` int NULL, \`findingId\` int NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_complaint_msisdn\` (\`msisdn\`), INDEX \`idx_complaint_partner\` (\`repairPartnerId\`, \`outcome\`, \`resolvedAt\`), INDEX \`idx_complaint_agent\` (\`agentId\`, \`id\`), INDEX \`idx_complaint_period_category\` (\`period\`, \`category\`), INDEX \`idx_complaint_state_due\` (\`state\`, \`dueAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`compensation_rule\` (\`category\` varchar(16) NOT NULL, \`basis\` varchar(16) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`multiplier\` int NOT NULL DEFAULT '0', \`description\` varchar(255) NOT NULL DEFAULT '', \`updatedAt\` datetime(3) NOT NULL, \`updatedById\` int NULL, PRIMARY KEY (\`category\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`compensation_rule_change\` (\`id\` int NOT NULL AUTO_INCREMENT, \`category\` varchar(16) NOT NULL, \`basis\` varchar(16) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`multiplier\` int NOT NULL DEFAULT '0', \`description\` varchar(255) NOT NULL DEFAULT '', \`changedAt\` datetime(3) NOT NULL, \`changedById\` int NULL, INDEX \`idx_compensation_rule_change_category\` (\`category\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`compensation\` (\`id\` int NOT NULL AUTO_INCREMENT, \`complaintId\` int NOT NULL, \`category\` varchar(16) NOT NULL, \`basis\` varchar(16) NOT NULL, \`multiplier\` int NOT NULL DEFAULT '0', \`amountFen\` bigint NOT NULL DEFAULT '0', \`status\` varchar(16) NOT NULL, \`regionId\` int NULL, \`spId\` int NULL, \`fromDepositFen\` bigint NOT NULL DEFAULT '0', \`advancedFen\` bigint NOT NULL DEFAULT '0', \`period\` varchar(7) NULL, \`proposedAt\` datetime(3) NOT NULL, \`proposedById\` int NULL, \`decidedAt\` datetime(3) NULL, \`decidedById\` int NULL, \`rejectReason\` varchar(500) NULL, INDEX \`idx_compensation_period\` (\`period\`, \`status\`), INDEX \`idx_compensation_status\` (\`status\`, \`id\`), UNIQUE INDEX \`uq_compensation_complaint\` (\`complaintId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`service_provider\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(100) NOT NULL, \`depositFen\` bigint NOT NULL DEFAULT '0', \`debtFen\` bigint NOT NULL DEFAULT '0', \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NULL, UNIQUE INDEX \`uq_service_provider_code\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`sp_deposit_entry\` (\`id\` int NOT NULL AUTO_INCREMENT, \`spId\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`grossFen\` bigint NOT NULL DEFAULT '0', \`amountFen\` bigint NOT NULL DEFAULT '0', \`debtFen\` bigint NOT NULL DEFAULT '0', \`balanceAfterFen\` bigint NOT NULL DEFAULT '0', \`complaintId\` int NULL, \`period\` varchar(7) NOT NULL, \`note\` varchar(255) NULL, \`at\` datetime(3) NOT NULL, \`actorId\` int NULL, INDEX \`idx_sp_deposit_period\` (\`period\`, \`kind\`), INDEX \`idx_sp_deposit_sp\` (\`spId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`border_cell\` (\`cellId\` varchar(32) NOT NULL, \`regionId\` int NOT NULL, \`description\` varchar(100) NOT NULL, PRIMARY KEY (\`cellId\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`roaming_waiver\` (\`id\` int NOT NULL AUTO_INCREMENT, \`msisdn\` varchar(20) NOT NULL, \`regionId\` int NOT NULL, \`period\` varchar(7) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`source\` varchar(16) NOT NULL, \`cellKey\` varchar(40) NOT NULL, \`complaintId\` int NULL, \`note\` varchar(255) NULL, \`createdAt\` datetime(3) NOT NULL, \`createdById\` int NULL, INDEX \`idx_roaming_waiver_period_region\` (\`period\`, \`regionId\`), UNIQUE INDEX \`uq_roaming_waiver\` (\`msisdn\`, \`period\`, \`source\`, \`cellKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_roaming_waiver\` ON \`roaming_waiver\``);
    await queryRunner.query(`DROP INDEX \`idx_roaming_waiver_period_region\` ON \`roaming_waiver\``);
    await queryRunner.query(`DROP TABLE \`roaming_waiver\``);
    await queryRunner.query(`DROP TABLE \`border_cell\``);
    await queryRunner.query(`DROP INDEX \`idx_sp_deposit_sp\` ON \`sp_deposit_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_sp_deposit_period\` ON \`sp_deposit_entry\``);
    await queryRunner.query(`DROP TABLE \`sp_deposit_entry\``);
    await queryRunner.query(`DROP INDEX \`uq_service_provider_code\` ON \`service_provider\``);
    await queryRunner.query(`DROP TABLE \`service_provider\``);
    await queryRunner.query(`DROP INDEX \`uq_compensation_complaint\` ON \`compensation\``);
    await queryRunner.query(`DROP INDEX \`idx_compensation_status\` ON \`compensation\``);
    await queryRunner.query(`DROP INDEX \`idx_compensation_period\` ON \`compensation\``);
    await queryRunner.query(`DROP TABLE \`compensation\``);
    await queryRunner.query(`DROP INDEX \`idx_compensation_rule_change_category\` ON \`compensation_rule_change\``);
    await queryRunner.query(`DROP TABLE \`compensation_rule_change\``);
    await queryRunner.query(`DROP TABLE \`compensation_rule\``);
    await queryRunner.query(`DROP INDEX \`idx_complaint_state_due\` ON \`complaint\``);
    await queryRunner.query(`DROP INDEX \`idx_complaint_period_category\` ON \`complaint\``);
    await queryRunner.query(`DROP INDEX \`idx_complaint_agent\` ON \`complaint\``);
    await queryRunner.query(`DROP INDEX \`idx_complaint_partner\` ON \`complaint\``);
    await queryRunner.query(`DROP INDEX \`idx_complaint_msisdn\` ON \`complaint\``);
    await queryRunner.query(`DROP TABLE \`complaint\``);
    await queryRunner.query(`DROP INDEX \`uq_callback_registration_seq\` ON \`customer_callback\``);
    await queryRunner.query(`DROP INDEX \`idx_callback_queue\` ON \`customer_callback\``);
    await queryRunner.query(`DROP INDEX \`idx_callback_agent_due\` ON \`customer_callback\``);
    await queryRunner.query(`DROP INDEX \`idx_callback_region_due\` ON \`customer_callback\``);
    await queryRunner.query(`DROP TABLE \`customer_callback\``);
  }
}
