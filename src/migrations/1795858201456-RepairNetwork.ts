import { MigrationInterface, QueryRunner } from 'typeorm';

export class RepairNetwork1795858201456 implements MigrationInterface {
  name = 'RepairNetwork1795858201456';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`repair_partner_contact\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`name\` varchar(64) NOT NULL, \`phone\` varchar(32) NOT NULL, \`title\` varchar(64) NULL, \`primary\` tinyint NOT NULL DEFAULT 0, INDEX \`idx_repair_partner_contact_partner\` (\`partnerId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`handset_brand\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(64) NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_4570dd40305f9906595979711b\` (\`code\`), UNIQUE INDEX \`IDX_0ee86b19fd43709a926436b0c4\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`handset_model\` (\`id\` int NOT NULL AUTO_INCREMENT, \`brandId\` int NOT NULL, \`name\` varchar(64) NOT NULL, \`network\` varchar(16) NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_handset_model_network\` (\`network\`, \`brandId\`), UNIQUE INDEX \`uq_handset_model_brand_name\` (\`brandId\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`brand_authorization\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`brandId\` int NOT NULL, \`certificateNo\` varchar(64) NOT NULL, \`grantedVia\` varchar(16) NOT NULL, \`grantorName\` varchar(128) NULL, \`validFrom\` datetime(3) NOT NULL, \`validTo\` datetime(3) NOT NULL, \`revokedAt\` datetime(3) NULL, \`revokeReason\` varchar(255) NULL, \`revokedById\` int NULL, \`grantedById\` int NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_brand_authorization_valid_to\` (\`validTo\`, \`id\`), INDEX \`idx_brand_authorization_brand\` (\`brandId\`, \`validTo\`), INDEX \`idx_brand_authorization_partner\` (\`partnerId\`, \`brandId\`, \`validTo\`), UNIQUE INDEX \`uq_brand_authorization_certificate\` (\`brandId\`, \`certificateNo\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`equipment\` (\`id\` int NOT NULL AUTO_INCREMENT, \`assetTag\` varchar(32) NOT NULL, \`kind\` varchar(64) NOT NULL, \`description\` varchar(255) NULL, \`valueFen\` bigint NOT NULL DEFAULT '0', \`custodianPartnerId\` int NULL, \`lentAt\` datetime(3) NULL, \`registeredAt\` datetime(3) NOT NULL, INDEX \`idx_equipment_kind\` (\`kind\`, \`id\`), INDEX \`idx_equipment_custodian\` (\`custodianPartnerId\`, \`id\`), UNIQUE INDEX \`IDX_c186017eeb26b7a9cb9d151dc8\` (\`assetTag\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`equipment_custody\` (\`id\` int NOT NULL AUTO_INCREMENT, \`equipmentId\` int NOT NULL, \`partnerId\` int NOT NULL, \`openEquipmentId\` int NULL, \`valueFen\` bigint NOT NULL DEFAULT '0', \`lentAt\` datetime(3) NOT NULL, \`lentById\` int NULL, \`lentBy\` varchar(64) NULL, \`returnedAt\` datetime(3) NULL, \`returnedById\` int NULL, \`returnedBy\` varchar(64) NULL, \`note\` varchar(255) NULL, INDEX \`idx_equipment_custody_partner\` (\`partnerId\`, \`lentAt\`), INDEX \`idx_equipment_custody_equipment\` (\`equipmentId\`, \`id\`), UNIQUE INDEX \`IDX_f0678ef7643c4a506f4541c6a7\` (\`openEquipmentId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_service_type\` (\`id\` int NOT NULL AUTO_INCREMENT, \`code\` varchar(32) NOT NULL, \`name\` varchar(64) NOT NULL, UNIQUE INDEX \`IDX_24374919b3b2301ca7feda53c6\` (\`code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_price\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`serviceType\` varchar(32) NOT NULL, \`priceFen\` bigint NOT NULL DEFAULT '0', \`setAt\` datetime(3) NOT NULL, \`setById\` int NULL, INDEX \`idx_repair_price_service\` (\`serviceType\`, \`partnerId\`), UNIQUE INDEX \`uq_repair_price_partner_service\` (\`partnerId\`, \`serviceType\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_price_change\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`serviceType\` varchar(32) NOT NULL, \`priceFen\` bigint NOT NULL DEFAULT '0', \`previousPriceFen\` bigint NULL, \`effectiveFrom\` datetime(3) NOT NULL, \`changedById\` int NULL, \`changedBy\` varchar(64) NULL, INDEX \`idx_repair_price_change_partner\` (\`partnerId\`, \`serviceType\`, \`id\`), INDEX \`idx_repair_price_change_service\` (\`serviceType\`, \`effectiveFrom\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`repair_order_status_span\` (\`id\` int NOT NULL AUTO_INCREMENT, \`orderId\` int NOT NULL, \`status\` varchar(16) NOT NULL, \`enteredAt\` datetime(3) NOT NULL, \`leftAt\` datetime(3) NULL, \`seconds\` int NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, \`note\` varchar(255) NULL, INDEX \`idx_repair_order_status_span_order\` (\`orderId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(`ALTER TABLE \`repair_partner\` ADD \`statusReason\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_partner\` ADD \`statusChangedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`network\` varchar(16) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`serviceType\` varchar(32) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`outOfAuthorization\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`outOfAuthorizationReason\` varchar(255) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`authorizationId\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`priceChargedFen\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`statusChangedAt\` datetime(3) NOT NULL`);
    await queryRunner.query(`UPDATE \`repair_order\` SET \`statusChangedAt\` = \`openedAt\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`readyAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`closedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`turnaroundSeconds\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`repair_order\` ADD \`openedById\` int NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_partner_status\` ON \`repair_partner\` (\`status\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_partner_region_status\` ON \`repair_partner\` (\`regionId\`, \`status\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_brand\` ON \`repair_order\` (\`brand\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_ready\` ON \`repair_order\` (\`readyAt\`, \`partnerId\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_serial\` ON \`repair_order\` (\`serial\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_msisdn\` ON \`repair_order\` (\`customerMsisdn\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_status\` ON \`repair_order\` (\`status\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_partner_status\` ON \`repair_order\` (\`partnerId\`, \`status\`, \`id\`)`);
    await queryRunner.query(
      `ALTER TABLE \`repair_partner_contact\` ADD CONSTRAINT \`FK_d4c5e9ddfce5d61b11419f6ad12\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`handset_model\` ADD CONSTRAINT \`FK_efbe3c585f00e54b018462c88e4\` FOREIGN KEY (\`brandId\`) REFERENCES \`handset_brand\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`brand_authorization\` ADD CONSTRAINT \`FK_18f00951ba231b3cbf0d5c3966e\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`brand_authorization\` ADD CONSTRAINT \`FK_0a2e24f24e7a6e097c8bf916757\` FOREIGN KEY (\`brandId\`) REFERENCES \`handset_brand\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`equipment\` ADD CONSTRAINT \`FK_95e808a8c47555478524b32bf19\` FOREIGN KEY (\`custodianPartnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`equipment_custody\` ADD CONSTRAINT \`FK_0185a2f56477010e6d9858b24fc\` FOREIGN KEY (\`equipmentId\`) REFERENCES \`equipment\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`equipment_custody\` ADD CONSTRAINT \`FK_3c6dd74c273c84b8fee7316207b\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`repair_price\` ADD CONSTRAINT \`FK_71b976f8de9c65595efd8b4499c\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`repair_price_change\` ADD CONSTRAINT \`FK_b3002788bbf0be71acd3b636771\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`repair_order_status_span\` ADD CONSTRAINT \`FK_cdb8a844e99013d3050785e3a61\` FOREIGN KEY (\`orderId\`) REFERENCES \`repair_order\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`repair_order_status_span\` DROP FOREIGN KEY \`FK_cdb8a844e99013d3050785e3a61\``);
    await queryRunner.query(`ALTER TABLE \`repair_price_change\` DROP FOREIGN KEY \`FK_b3002788bbf0be71acd3b636771\``);
    await queryRunner.query(`ALTER TABLE \`repair_price\` DROP FOREIGN KEY \`FK_71b976f8de9c65595efd8b4499c\``);
    await queryRunner.query(`ALTER TABLE \`equipment_custody\` DROP FOREIGN KEY \`FK_3c6dd74c273c84b8fee7316207b\``);
    await queryRunner.query(`ALTER TABLE \`equipment_custody\` DROP FOREIGN KEY \`FK_0185a2f56477010e6d9858b24fc\``);
    await queryRunner.query(`ALTER TABLE \`equipment\` DROP FOREIGN KEY \`FK_95e808a8c47555478524b32bf19\``);
    await queryRunner.query(`ALTER TABLE \`brand_authorization\` DROP FOREIGN KEY \`FK_0a2e24f24e7a6e097c8bf916757\``);
    await queryRunner.query(`ALTER TABLE \`brand_authorization\` DROP FOREIGN KEY \`FK_18f00951ba231b3cbf0d5c3966e\``);
    await queryRunner.query(`ALTER TABLE \`handset_model\` DROP FOREIGN KEY \`FK_efbe3c585f00e54b018462c88e4\``);
    await queryRunner.query(`ALTER TABLE \`repair_partner_contact\` DROP FOREIGN KEY \`FK_d4c5e9ddfce5d61b11419f6ad12\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_partner_status\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_status\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_msisdn\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_serial\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_ready\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_brand\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_partner_region_status\` ON \`repair_partner\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_partner_status\` ON \`repair_partner\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`openedById\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`turnaroundSeconds\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`closedAt\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`readyAt\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`statusChangedAt\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`priceChargedFen\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`authorizationId\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`outOfAuthorizationReason\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`outOfAuthorization\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`serviceType\``);
    await queryRunner.query(`ALTER TABLE \`repair_order\` DROP COLUMN \`network\``);
    await queryRunner.query(`ALTER TABLE \`repair_partner\` DROP COLUMN \`statusChangedAt\``);
    await queryRunner.query(`ALTER TABLE \`repair_partner\` DROP COLUMN \`statusReason\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_status_span_order\` ON \`repair_order_status_span\``);
    await queryRunner.query(`DROP TABLE \`repair_order_status_span\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_price_change_service\` ON \`repair_price_change\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_price_change_partner\` ON \`repair_price_change\``);
    await queryRunner.query(`DROP TABLE \`repair_price_change\``);
    await queryRunner.query(`DROP INDEX \`uq_repair_price_partner_service\` ON \`repair_price\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_price_service\` ON \`repair_price\``);
    await queryRunner.query(`DROP TABLE \`repair_price\``);
    await queryRunner.query(`DROP INDEX \`IDX_24374919b3b2301ca7feda53c6\` ON \`repair_service_type\``);
    await queryRunner.query(`DROP TABLE \`repair_service_type\``);
    await queryRunner.query(`DROP INDEX \`IDX_f0678ef7643c4a506f4541c6a7\` ON \`equipment_custody\``);
    await queryRunner.query(`DROP INDEX \`idx_equipment_custody_equipment\` ON \`equipment_custody\``);
    await queryRunner.query(`DROP INDEX \`idx_equipment_custody_partner\` ON \`equipment_custody\``);
    await queryRunner.query(`DROP TABLE \`equipment_custody\``);
    await queryRunner.query(`DROP INDEX \`IDX_c186017eeb26b7a9cb9d151dc8\` ON \`equipment\``);
    await queryRunner.query(`DROP INDEX \`idx_equipment_custodian\` ON \`equipment\``);
    await queryRunner.query(`DROP INDEX \`idx_equipment_kind\` ON \`equipment\``);
    await queryRunner.query(`DROP TABLE \`equipment\``);
    await queryRunner.query(`DROP INDEX \`uq_brand_authorization_certificate\` ON \`brand_authorization\``);
    await queryRunner.query(`DROP INDEX \`idx_brand_authorization_partner\` ON \`brand_authorization\``);
    await queryRunner.query(`DROP INDEX \`idx_brand_authorization_brand\` ON \`brand_authorization\``);
    await queryRunner.query(`DROP INDEX \`idx_brand_authorization_valid_to\` ON \`brand_authorization\``);
    await queryRunner.query(`DROP TABLE \`brand_authorization\``);
    await queryRunner.query(`DROP INDEX \`uq_handset_model_brand_name\` ON \`handset_model\``);
    await queryRunner.query(`DROP INDEX \`idx_handset_model_network\` ON \`handset_model\``);
    await queryRunner.query(`DROP TABLE \`handset_model\``);
    await queryRunner.query(`DROP INDEX \`IDX_0ee86b19fd43709a926436b0c4\` ON \`handset_brand\``);
    await queryRunner.query(`DROP INDEX \`IDX_4570dd40305f9906595979711b\` ON \`handset_brand\``);
    await queryRunner.query(`DROP TABLE \`handset_brand\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_partner_contact_partner\` ON \`repair_partner_contact\``);
    await queryRunner.query(`DROP TABLE \`repair_partner_contact\``);
  }
}
