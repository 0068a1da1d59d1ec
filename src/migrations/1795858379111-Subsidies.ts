import { MigrationInterface, QueryRunner } from 'typeorm';

export class Subsidies1795858379111 implements MigrationInterface {
  name = 'Subsidies1795858379111';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`subsidy\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerId\` int NOT NULL, \`type\` varchar(16) NOT NULL, \`period\` varchar(7) NOT NULL, \`amountFen\` bigint NOT NULL DEFAULT '0', \`note\` varchar(500) NULL, \`wagePeriod\` varchar(7) NULL, \`reversesId\` int NULL, \`batchId\` varchar(36) NULL, \`recordedById\` int NULL, \`recordedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_subsidy_reverses\` (\`reversesId\`), UNIQUE INDEX \`uq_subsidy_wage\` (\`partnerId\`, \`wagePeriod\`), INDEX \`idx_subsidy_type_period\` (\`type\`, \`period\`), INDEX \`idx_subsidy_partner_period\` (\`partnerId\`, \`period\`, \`id\`), INDEX \`idx_subsidy_period_partner\` (\`period\`, \`partnerId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    await queryRunner.query(
      `ALTER TABLE \`subsidy\` ADD CONSTRAINT \`FK_c92729cb7b762eff8645c6ae731\` FOREIGN KEY (\`partnerId\`) REFERENCES \`repair_partner\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`subsidy\` DROP FOREIGN KEY \`FK_c92729cb7b762eff8645c6ae731\``);
    await queryRunner.query(`DROP INDEX \`idx_subsidy_period_partner\` ON \`subsidy\``);
    await queryRunner.query(`DROP INDEX \`idx_subsidy_partner_period\` ON \`subsidy\``);
    await queryRunner.query(`DROP INDEX \`idx_subsidy_type_period\` ON \`subsidy\``);
    await queryRunner.query(`DROP INDEX \`uq_subsidy_wage\` ON \`subsidy\``);
    await queryRunner.query(`DROP INDEX \`uq_subsidy_reverses\` ON \`subsidy\``);
    await queryRunner.query(`DROP TABLE \`subsidy\``);
  }
}
