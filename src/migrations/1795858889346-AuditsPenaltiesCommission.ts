import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditsPenaltiesCommission1795858889346 implements MigrationInterface {
  name = 'AuditsPenaltiesCommission1795858889346';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`agent_risk\` (\`agentId\` int NOT NULL, \`auditedItems\` int NOT NULL, \`failedItems\` int NOT NULL, \`recentRecords\` int NOT NULL, \`flaggedRecords\` int NOT NULL, \`findingPoints\` int NOT NULL, \`flagPoints\` int NOT NULL, \`newnessPoints\` int NOT NULL, \`score\` int NOT NULL, \`computedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`agentId\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`commission_statement\` (\`period\` varchar(7) NOT NULL, \`agentId\` int NOT NULL, \`activations\` int NOT NULL, \`commissionPerActivationFen\` bigint NOT NULL DEFAULT '0', \`grossFen\` bigint NOT NULL DEFAULT '0', \`penaltiesFen\` bigint NOT NULL DEFAULT '0', \`penaltyCount\` int NOT NULL DEFAULT '0', \`carriedInFen\` bigint NOT NULL DEFAULT '0', \`netFen\` bigint NOT NULL DEFAULT '0', \`carriedOutFen\` bigint NOT NULL DEFAULT '0', \`carriedIntoPeriod\` varchar(7) NULL, \`status\` varchar(16) NOT NULL, \`settledAt\` datetime(3) NOT NULL, \`closedAt\` datetime(3) NULL, INDEX \`idx_commission_statement_carry\` (\`carriedIntoPeriod\`, \`carriedOutFen\`), INDEX \`idx_commission_statement_agent\` (\`agentId\`, \`period\`), PRIMARY KEY (\`period\`, \`agentId\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_batch\` (\`id\` int NOT NULL AUTO_INCREMENT, \`period\` varchar(7) NOT NULL, \`strategy\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`seed\` int NOT NULL, \`sampleSize\` int NOT NULL, \`agentIdList\` text NOT NULL, \`excludeAudited\` tinyint NOT NULL DEFAULT 0, \`itemCount\` int NOT NULL DEFAULT '0', \`populationSize\` int NOT NULL DEFAULT '0', \`flaggedCount\` int NOT NULL DEFAULT '0', \`revision\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(3) NOT NULL, \`createdById\` int NULL, \`closedAt\` datetime(3) NULL, \`closedById\` int NULL, INDEX \`idx_audit_batch_status\` (\`status\`, \`id\`), INDEX \`idx_audit_batch_period\` (\`period\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_item\` (\`id\` int NOT NULL AUTO_INCREMENT, \`batchId\` int NOT NULL, \`registrationId\` int NOT NULL, \`agentId\` int NOT NULL, \`drawRank\` int NOT NULL, \`flagged\` tinyint NOT NULL DEFAULT 0, \`riskScoreAtDraw\` int NOT NULL DEFAULT '0', \`outcome\` varchar(16) NULL, \`auditedAt\` datetime(3) NULL, \`auditorId\` int NULL, INDEX \`idx_audit_item_agent_audited\` (\`agentId\`, \`auditedAt\`), INDEX \`idx_audit_item_registration\` (\`registrationId\`, \`batchId\`), UNIQUE INDEX \`uq_audit_item_batch_rank\` (\`batchId\`, \`drawRank\`), UNIQUE INDEX \`uq_audit_item_batch_registration\` (\`batchId\`, \`registrationId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_finding\` (\`id\` int NOT NULL AUTO_INCREMENT, \`itemId\` int NOT NULL, \`batchId\` int NOT NULL, \`agentId\` int NOT NULL, \`registrationId\` int NOT NULL, \`type\` varchar(16) NOT NULL, \`note\` varchar(1000) NULL, \`recordedAt\` datetime(3) NOT NULL, INDEX \`idx_audit_finding_batch\` (\`batchId\`, \`id\`), UNIQUE INDEX \`uq_audit_finding_item_type\` (\`itemId\`, \`type\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`penalty\` (\`id\` int NOT NULL AUTO_INCREMENT, \`agentId\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`findingId\` int NULL, \`batchId\` int NULL, \`registrationId\` int NULL, \`findingType\` varchar(16) NULL, \`offenceAt\` datetime(3) NULL, \`occurrence\` int NULL, \`baseAmountFen\` bigint NOT NULL DEFAULT '0', \`amountFen\` bigint NOT NULL DEFAULT '0', \`escalated\` tinyint NOT NULL DEFAULT 0, \`reason\` varchar(500) NOT NULL, \`status\` varchar(16) NOT NULL, \`period\` varchar(7) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`createdById\` int NULL, \`decidedAt\` datetime(3) NULL, \`decidedById\` int NULL, \`waiveReason\` varchar(500) NULL, \`settledPeriod\` varchar(7) NULL, \`appliedAt\` datetime(3) NULL, INDEX \`idx_penalty_registration\` (\`registrationId\`, \`findingType\`), INDEX \`idx_penalty_escalation\` (\`agentId\`, \`findingType\`, \`offenceAt\`), INDEX \`idx_penalty_settled\` (\`settledPeriod\`, \`agentId\`), INDEX \`idx_penalty_batch\` (\`batchId\`, \`id\`), INDEX \`idx_penalty_period\` (\`period\`, \`id\`), INDEX \`idx_penalty_status\` (\`status\`, \`id\`), INDEX \`idx_penalty_agent\` (\`agentId\`, \`status\`, \`id\`), UNIQUE INDEX \`IDX_9bfcd4cd7f38d189a9e068d7f0\` (\`findingId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`penalty_rule\` (\`findingType\` varchar(16) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`description\` varchar(255) NOT NULL DEFAULT '', \`updatedAt\` datetime(3) NOT NULL, \`updatedById\` int NULL, PRIMARY KEY (\`findingType\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`commission_period\` (\`period\` varchar(7) NOT NULL, \`status\` varchar(16) NOT NULL, \`revision\` int NOT NULL DEFAULT '0', \`statementCount\` int NOT NULL DEFAULT '0', \`activations\` int NOT NULL DEFAULT '0', \`grossFen\` bigint NOT NULL DEFAULT '0', \`penaltiesFen\` bigint NOT NULL DEFAULT '0', \`penaltyCount\` int NOT NULL DEFAULT '0', \`carriedInFen\` bigint NOT NULL DEFAULT '0', \`netFen\` bigint NOT NULL DEFAULT '0', \`carriedOutFen\` bigint NOT NULL DEFAULT '0', \`settledAt\` datetime(3) NULL, \`settledById\` int NULL, \`closedAt\` datetime(3) NULL, \`closedById\` int NULL, PRIMARY KEY (\`period\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `ALTER TABLE \`commission_statement\` ADD CONSTRAINT \`FK_13af575a929d94d229df67f0f0a\` FOREIGN KEY (\`agentId\`) REFERENCES \`agent\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`audit_item\` ADD CONSTRAINT \`FK_14a00506bc98a82e026dcc8f8a9\` FOREIGN KEY (\`batchId\`) REFERENCES \`audit_batch\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`audit_item\` ADD CONSTRAINT \`FK_a561cb1febfe4c7827063254a07\` FOREIGN KEY (\`registrationId\`) REFERENCES \`registration\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`audit_item\` ADD CONSTRAINT \`FK_ebca0bc8ef19e7a9cc649f4d329\` FOREIGN KEY (\`agentId\`) REFERENCES \`agent\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`audit_finding\` ADD CONSTRAINT \`FK_c3f38d6459ed95ed451fcb803c5\` FOREIGN KEY (\`itemId\`) REFERENCES \`audit_item\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`penalty\` ADD CONSTRAINT \`FK_0140a8cb078d6e91fa847bc8e9f\` FOREIGN KEY (\`agentId\`) REFERENCES \`agent\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`penalty\` ADD CONSTRAINT \`FK_9bfcd4cd7f38d189a9e068d7f02\` FOREIGN KEY (\`findingId\`) REFERENCES \`audit_finding\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`penalty\` DROP FOREIGN KEY \`FK_9bfcd4cd7f38d189a9e068d7f02\``);
    await queryRunner.query(`ALTER TABLE \`penalty\` DROP FOREIGN KEY \`FK_0140a8cb078d6e91fa847bc8e9f\``);
    await queryRunner.query(`ALTER TABLE \`audit_finding\` DROP FOREIGN KEY \`FK_c3f38d6459ed95ed451fcb803c5\``);
    await queryRunner.query(`ALTER TABLE \`audit_item\` DROP FOREIGN KEY \`FK_ebca0bc8ef19e7a9cc649f4d329\``);
    await queryRunner.query(`ALTER TABLE \`audit_item\` DROP FOREIGN KEY \`FK_a561cb1febfe4c7827063254a07\``);
    await queryRunner.query(`ALTER TABLE \`audit_item\` DROP FOREIGN KEY \`FK_14a00506bc98a82e026dcc8f8a9\``);
    await queryRunner.query(`ALTER TABLE \`commission_statement\` DROP FOREIGN KEY \`FK_13af575a929d94d229df67f0f0a\``);
    await queryRunner.query(`DROP TABLE \`commission_period\``);
    await queryRunner.query(`DROP TABLE \`penalty_rule\``);
    await queryRunner.query(`DROP INDEX \`IDX_9bfcd4cd7f38d189a9e068d7f0\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_agent\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_status\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_period\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_batch\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_settled\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_escalation\` ON \`penalty\``);
    await queryRunner.query(`DROP INDEX \`idx_penalty_registration\` ON \`penalty\``);
    await queryRunner.query(`DROP TABLE \`penalty\``);
    await queryRunner.query(`DROP INDEX \`uq_audit_finding_item_type\` ON \`audit_finding\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_finding_batch\` ON \`audit_finding\``);
    await queryRunner.query(`DROP TABLE \`audit_finding\``);
    await queryRunner.query(`DROP INDEX \`uq_audit_item_batch_registration\` ON \`audit_item\``);
    await queryRunner.query(`DROP INDEX \`uq_audit_item_batch_rank\` ON \`audit_item\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_item_registration\` ON \`audit_item\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_item_agent_audited\` ON \`audit_item\``);
    await queryRunner.query(`DROP TABLE \`audit_item\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_batch_period\` ON \`audit_batch\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_batch_status\` ON \`audit_batch\``);
    await queryRunner.query(`DROP TABLE \`audit_batch\``);
    await queryRunner.query(`DROP INDEX \`idx_commission_statement_agent\` ON \`commission_statement\``);
    await queryRunner.query(`DROP INDEX \`idx_commission_statement_carry\` ON \`commission_statement\``);
    await queryRunner.query(`DROP TABLE \`commission_statement\``);
    await queryRunner.query(`DROP TABLE \`agent_risk\``);
  }
}
