import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrationCoveringIndexes1795864731058 implements MigrationInterface {
  name = 'RegistrationCoveringIndexes1795864731058';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_registration_status_activated\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_opened\` ON \`registration\``);
    await queryRunner.query(`CREATE INDEX \`idx_registration_opened\` ON \`registration\` (\`openedAt\`, \`status\`, \`flagged\`, \`agentId\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_status_activated\` ON \`registration\` (\`status\`, \`activatedAt\`, \`agentId\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_registration_status_activated\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_opened\` ON \`registration\``);
    await queryRunner.query(`CREATE INDEX \`idx_registration_opened\` ON \`registration\` (\`openedAt\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_status_activated\` ON \`registration\` (\`status\`, \`activatedAt\`)`);
  }
}
