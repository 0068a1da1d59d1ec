import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartsCentre1795858765365 implements MigrationInterface {
  name = 'PartsCentre1795858765365';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`stock_movement\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partId\` int NOT NULL, \`locationId\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`quantity\` int NOT NULL, \`unitCostFen\` bigint NOT NULL DEFAULT '0', \`documentType\` varchar(17) NOT NULL, \`documentId\` int NOT NULL, \`reason\` varchar(255) NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, \`at\` datetime(3) NOT NULL, INDEX \`idx_stock_movement_document\` (\`documentType\`, \`documentId\`), INDEX \`idx_stock_movement_location\` (\`locationId\`, \`id\`), INDEX \`idx_stock_movement_part_location\` (\`partId\`, \`locationId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`parts_document_line\` (\`id\` int NOT NULL AUTO_INCREMENT, \`documentType\` varchar(17) NOT NULL, \`documentId\` int NOT NULL, \`partId\` int NOT NULL, \`quantity\` int NOT NULL, \`unitCostFen\` bigint NOT NULL DEFAULT '0', \`amountFen\` bigint NOT NULL DEFAULT '0', INDEX \`idx_parts_document_line_part\` (\`partId\`), INDEX \`idx_parts_document_line_document\` (\`documentType\`, \`documentId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`parts_fund\` (\`id\` int NOT NULL, \`outstandingFen\` bigint NOT NULL DEFAULT '0', \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`fund_account\` (\`partnerId\` int NOT NULL, \`capFen\` bigint NULL, \`drawnFen\` bigint NOT NULL DEFAULT '0', \`creditedFen\` bigint NOT NULL DEFAULT '0', \`outstandingFen\` bigint NOT NULL DEFAULT '0', \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`partnerId\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`fund_ledger_entry\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`issueId\` int NULL, \`returnId\` int NULL, \`reference\` varchar(64) NULL, \`note\` varchar(255) NULL, \`at\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, UNIQUE INDEX \`uq_fund_ledger_reference\` (\`partnerId\`, \`reference\`), INDEX \`idx_fund_ledger_at\` (\`at\`), INDEX \`idx_fund_ledger_partner\` (\`partnerId\`, \`kind\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`parts_issue\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`locationId\` int NOT NULL, \`idempotencyKey\` varchar(64) NULL, \`totalFen\` bigint NOT NULL DEFAULT '0', \`issuedAt\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, UNIQUE INDEX \`uq_parts_issue_idempotency\` (\`partnerId\`, \`idempotencyKey\`), INDEX \`idx_parts_issue_partner\` (\`partnerId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`part\` (\`id\` int NOT NULL AUTO_INCREMENT, \`sku\` varchar(32) NOT NULL, \`name\` varchar(128) NOT NULL, \`category\` varchar(16) NOT NULL, \`reorderPoint\` int NOT NULL DEFAULT '0', \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_part_category\` (\`category\`, \`id\`), UNIQUE INDEX \`uq_part_sku\` (\`sku\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`part_compatible_model\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partId\` int NOT NULL, \`brand\` varchar(64) NOT NULL, \`model\` varchar(64) NOT NULL, \`brandKey\` varchar(64) NOT NULL, \`modelKey\` varchar(64) NOT NULL, INDEX \`idx_part_compatible_brand\` (\`brandKey\`, \`partId\`), UNIQUE INDEX \`uq_part_compatible_model\` (\`partId\`, \`brandKey\`, \`modelKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`parts_consumption\` (\`id\` int NOT NULL AUTO_INCREMENT, \`repairOrderId\` int NOT NULL, \`partnerId\` int NOT NULL, \`locationId\` int NOT NULL, \`totalFen\` bigint NOT NULL DEFAULT '0', \`consumedAt\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, INDEX \`idx_parts_consumption_partner\` (\`partnerId\`, \`id\`), INDEX \`idx_parts_consumption_order\` (\`repairOrderId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`parts_return\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`locationId\` int NOT NULL, \`creditFen\` bigint NOT NULL DEFAULT '0', \`reason\` varchar(255) NULL, \`returnedAt\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, INDEX \`idx_parts_return_partner\` (\`partnerId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`stock_level\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partId\` int NOT NULL, \`locationId\` int NOT NULL, \`onHand\` int NOT NULL DEFAULT '0', \`unitCostFen\` bigint NOT NULL DEFAULT '0', \`updatedAt\` datetime(3) NOT NULL, INDEX \`idx_stock_level_location\` (\`locationId\`, \`id\`), UNIQUE INDEX \`uq_stock_level_part_location\` (\`partId\`, \`locationId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    // TypeORM does not emit CHECK constraints for MySQL/MariaDB; stock never below zero is kept by conditional writes, and by this.
    await queryRunner.query(`ALTER TABLE \`stock_level\` ADD CONSTRAINT \`chk_stock_level_on_hand\` CHECK (\`onHand\` >= 0)`);
    await queryRunner.query(
      `CREATE TABLE \`stocktake\` (\`id\` int NOT NULL AUTO_INCREMENT, \`locationId\` int NOT NULL, \`note\` varchar(255) NULL, \`differenceFen\` bigint NOT NULL DEFAULT '0', \`countedAt\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, INDEX \`idx_stocktake_location\` (\`locationId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`stocktake_line\` (\`id\` int NOT NULL AUTO_INCREMENT, \`stocktakeId\` int NOT NULL, \`partId\` int NOT NULL, \`bookQuantity\` int NOT NULL, \`countedQuantity\` int NOT NULL, \`difference\` int NOT NULL, \`unitCostFen\` bigint NOT NULL DEFAULT '0', \`reason\` varchar(255) NULL, INDEX \`idx_stocktake_line_stocktake\` (\`stocktakeId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`supplier\` (\`id\` int NOT NULL AUTO_INCREMENT, \`name\` varchar(128) NOT NULL, \`city\` varchar(64) NOT NULL, \`contactName\` varchar(64) NULL, \`contactPhone\` varchar(32) NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_supplier_name\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`purchase_receipt\` (\`id\` int NOT NULL AUTO_INCREMENT, \`supplierId\` int NOT NULL, \`locationId\` int NOT NULL, \`reference\` varchar(64) NULL, \`totalFen\` bigint NOT NULL DEFAULT '0', \`receivedAt\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, UNIQUE INDEX \`uq_purchase_receipt_reference\` (\`supplierId\`, \`reference\`), INDEX \`idx_purchase_receipt_supplier\` (\`supplierId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_purchase_receipt_supplier\` ON \`purchase_receipt\``);
    await queryRunner.query(`DROP INDEX \`uq_purchase_receipt_reference\` ON \`purchase_receipt\``);
    await queryRunner.query(`DROP TABLE \`purchase_receipt\``);
    await queryRunner.query(`DROP INDEX \`uq_supplier_name\` ON \`supplier\``);
    await queryRunner.query(`DROP TABLE \`supplier\``);
    await queryRunner.query(`DROP INDEX \`idx_stocktake_line_stocktake\` ON \`stocktake_line\``);
    await queryRunner.query(`DROP TABLE \`stocktake_line\``);
    await queryRunner.query(`DROP INDEX \`idx_stocktake_location\` ON \`stocktake\``);
    await queryRunner.query(`DROP TABLE \`stocktake\``);
    await queryRunner.query(`ALTER TABLE \`stock_level\` DROP CONSTRAINT \`chk_stock_level_on_hand\``);
    await queryRunner.query(`DROP INDEX \`uq_stock_level_part_location\` ON \`stock_level\``);
    await queryRunner.query(`DROP INDEX \`idx_stock_level_location\` ON \`stock_level\``);
    await queryRunner.query(`DROP TABLE \`stock_level\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_return_partner\` ON \`parts_return\``);
    await queryRunner.query(`DROP TABLE \`parts_return\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_consumption_order\` ON \`parts_consumption\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_consumption_partner\` ON \`parts_consumption\``);
    await queryRunner.query(`DROP TABLE \`parts_consumption\``);
    await queryRunner.query(`DROP INDEX \`uq_part_compatible_model\` ON \`part_compatible_model\``);
    await queryRunner.query(`DROP INDEX \`idx_part_compatible_brand\` ON \`part_compatible_model\``);
    await queryRunner.query(`DROP TABLE \`part_compatible_model\``);
    await queryRunner.query(`DROP INDEX \`uq_part_sku\` ON \`part\``);
    await queryRunner.query(`DROP INDEX \`idx_part_category\` ON \`part\``);
    await queryRunner.query(`DROP TABLE \`part\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_issue_partner\` ON \`parts_issue\``);
    await queryRunner.query(`DROP INDEX \`uq_parts_issue_idempotency\` ON \`parts_issue\``);
    await queryRunner.query(`DROP TABLE \`parts_issue\``);
    await queryRunner.query(`DROP INDEX \`idx_fund_ledger_partner\` ON \`fund_ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_fund_ledger_at\` ON \`fund_ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`uq_fund_ledger_reference\` ON \`fund_ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`fund_ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`fund_account\``);
    await queryRunner.query(`DROP TABLE \`parts_fund\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_document_line_document\` ON \`parts_document_line\``);
    await queryRunner.query(`DROP INDEX \`idx_parts_document_line_part\` ON \`parts_document_line\``);
    await queryRunner.query(`DROP TABLE \`parts_document_line\``);
    await queryRunner.query(`DROP INDEX \`idx_stock_movement_part_location\` ON \`stock_movement\``);
    await queryRunner.query(`DROP INDEX \`idx_stock_movement_location\` ON \`stock_movement\``);
    await queryRunner.query(`DROP INDEX \`idx_stock_movement_document\` ON \`stock_movement\``);
    await queryRunner.query(`DROP TABLE \`stock_movement\``);
  }
}
