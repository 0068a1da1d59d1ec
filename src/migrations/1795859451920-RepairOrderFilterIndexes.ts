import { MigrationInterface, QueryRunner } from 'typeorm';

export class RepairOrderFilterIndexes1795859451920 implements MigrationInterface {
  name = 'RepairOrderFilterIndexes1795859451920';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_out_of_authorization\` ON \`repair_order\` (\`outOfAuthorization\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_repair_order_opened\` ON \`repair_order\` (\`openedAt\`, \`id\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_repair_order_opened\` ON \`repair_order\``);
    await queryRunner.query(`DROP INDEX \`idx_repair_order_out_of_authorization\` ON \`repair_order\``);
  }
}
