import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditItemDrawKey1795861295300 implements MigrationInterface {
  name = 'AuditItemDrawKey1795861295300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`audit_item\` ADD \`drawKey\` double NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`audit_item\` DROP COLUMN \`drawKey\``);
  }
}
