import { MigrationInterface, QueryRunner } from 'typeorm';

export class FundPolicyAndPenaltyWaiver1796172632474 implements MigrationInterface {
  name = 'FundPolicyAndPenaltyWaiver1796172632474';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`penalty\` ADD \`waiverRequestedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`penalty\` ADD \`waiverRequestedById\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` ADD \`limitFen\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` ADD \`defaultPartnerCapFen\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` ADD \`policyChangedAt\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` ADD \`policyChangedBy\` varchar(64) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`parts_fund\` DROP COLUMN \`policyChangedBy\``);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` DROP COLUMN \`policyChangedAt\``);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` DROP COLUMN \`defaultPartnerCapFen\``);
    await queryRunner.query(`ALTER TABLE \`parts_fund\` DROP COLUMN \`limitFen\``);
    await queryRunner.query(`ALTER TABLE \`penalty\` DROP COLUMN \`waiverRequestedById\``);
    await queryRunner.query(`ALTER TABLE \`penalty\` DROP COLUMN \`waiverRequestedAt\``);
  }
}
