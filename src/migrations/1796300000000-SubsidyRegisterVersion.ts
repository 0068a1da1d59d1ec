import { MigrationInterface, QueryRunner } from 'typeorm';

/** The subsidy register's write counter (subsidies/register-version.entity.ts), with its one row. */
export class SubsidyRegisterVersion1796300000000 implements MigrationInterface {
  name = 'SubsidyRegisterVersion1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE `subsidy_register_version` (`id` int NOT NULL, `version` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB');
    await queryRunner.query('INSERT INTO `subsidy_register_version` (`id`, `version`) VALUES (1, 0)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `subsidy_register_version`');
  }
}
