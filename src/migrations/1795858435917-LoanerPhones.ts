import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoanerPhones1795858435917 implements MigrationInterface {
  name = 'LoanerPhones1795858435917';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`loaner_phone\` (\`id\` int NOT NULL AUTO_INCREMENT, \`serial\` varchar(15) NOT NULL, \`serialKind\` varchar(16) NOT NULL, \`brand\` varchar(64) NOT NULL, \`model\` varchar(64) NOT NULL, \`status\` varchar(16) NOT NULL, \`partnerId\` int NULL, \`registeredAt\` datetime(3) NOT NULL, \`allocatedAt\` datetime(3) NULL, \`statusChangedAt\` datetime(3) NOT NULL, INDEX \`idx_loaner_phone_brand\` (\`brand\`, \`model\`, \`id\`), INDEX \`idx_loaner_phone_partner_status\` (\`partnerId\`, \`status\`, \`id\`), INDEX \`idx_loaner_phone_status\` (\`status\`, \`id\`), UNIQUE INDEX \`IDX_d5e4c54ec0cf7cce2f622bed51\` (\`serial\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`loaner_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`loanerId\` int NOT NULL, \`type\` varchar(17) NOT NULL, \`fromStatus\` varchar(16) NULL, \`toStatus\` varchar(16) NOT NULL, \`partnerId\` int NULL, \`loanId\` int NULL, \`at\` datetime(3) NOT NULL, \`actorId\` int NULL, \`actorName\` varchar(64) NULL, \`note\` varchar(500) NULL, INDEX \`idx_loaner_event_loaner\` (\`loanerId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `CREATE TABLE \`loaner_loan\` (\`id\` int NOT NULL AUTO_INCREMENT, \`loanerId\` int NOT NULL, \`partnerId\` int NOT NULL, \`repairOrderId\` int NOT NULL, \`customerMsisdn\` varchar(11) NOT NULL, \`depositFen\` bigint NOT NULL DEFAULT '0', \`depositStatus\` varchar(16) NOT NULL, \`depositRefundedFen\` bigint NOT NULL DEFAULT '0', \`depositKeptFen\` bigint NOT NULL DEFAULT '0', \`lentAt\` datetime(3) NOT NULL, \`dueAt\` datetime(3) NOT NULL, \`returnedAt\` datetime(3) NULL, \`returnCondition\` varchar(16) NULL, \`returnNote\` varchar(500) NULL, \`openLoanerId\` int NULL, \`openRepairOrderId\` int NULL, \`lentById\` int NULL, \`returnedById\` int NULL, INDEX \`idx_loaner_loan_partner_open_due\` (\`partnerId\`, \`returnedAt\`, \`dueAt\`, \`id\`), INDEX \`idx_loaner_loan_open_due\` (\`returnedAt\`, \`dueAt\`, \`id\`), INDEX \`idx_loaner_loan_partner\` (\`partnerId\`, \`id\`), INDEX \`idx_loaner_loan_order\` (\`repairOrderId\`, \`id\`), INDEX \`idx_loaner_loan_loaner\` (\`loanerId\`, \`id\`), UNIQUE INDEX \`uq_loaner_loan_open_order\` (\`openRepairOrderId\`), UNIQUE INDEX \`uq_loaner_loan_open_loaner\` (\`openLoanerId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `ALTER TABLE \`loaner_phone\` ADD CONSTRAINT \`FK_7dc9af95b793cf7c3acbf0b7c8b\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`loaner_event\` ADD CONSTRAINT \`FK_e1aedde8fbb05df2b8b17116976\` FOREIGN KEY (\`loanerId\`) REFERENCES \`loaner_phone\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`loaner_loan\` ADD CONSTRAINT \`FK_41d2920aac3bed056fbd1a55be9\` FOREIGN KEY (\`loanerId\`) REFERENCES \`loaner_phone\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`loaner_loan\` ADD CONSTRAINT \`FK_dfd191f8080fa645e3ef8fd55f8\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`loaner_loan\` ADD CONSTRAINT \`FK_b725ccaafce8c914f8e27002000\` FOREIGN KEY (\`repairOrderId\`) REFERENCES \`repair_order\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`loaner_loan\` DROP FOREIGN KEY \`FK_b725ccaafce8c914f8e27002000\``);
    await queryRunner.query(`ALTER TABLE \`loaner_loan\` DROP FOREIGN KEY \`FK_dfd191f8080fa645e3ef8fd55f8\``);
    await queryRunner.query(`ALTER TABLE \`loaner_loan\` DROP FOREIGN KEY \`FK_41d2920aac3bed056fbd1a55be9\``);
    await queryRunner.query(`ALTER TABLE \`loaner_event\` DROP FOREIGN KEY \`FK_e1aedde8fbb05df2b8b17116976\``);
    await queryRunner.query(`ALTER TABLE \`loaner_phone\` DROP FOREIGN KEY \`FK_7dc9af95b793cf7c3acbf0b7c8b\``);
    await queryRunner.query(`DROP INDEX \`uq_loaner_loan_open_loaner\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`uq_loaner_loan_open_order\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_loaner\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_order\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_partner\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_open_due\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_partner_open_due\` ON \`loaner_loan\``);
    await queryRunner.query(`DROP TABLE \`loaner_loan\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_event_loaner\` ON \`loaner_event\``);
    await queryRunner.query(`DROP TABLE \`loaner_event\``);
    await queryRunner.query(`DROP INDEX \`IDX_d5e4c54ec0cf7cce2f622bed51\` ON \`loaner_phone\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_phone_status\` ON \`loaner_phone\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_phone_partner_status\` ON \`loaner_phone\``);
    await queryRunner.query(`DROP INDEX \`idx_loaner_phone_brand\` ON \`loaner_phone\``);
    await queryRunner.query(`DROP TABLE \`loaner_phone\``);
  }
}
