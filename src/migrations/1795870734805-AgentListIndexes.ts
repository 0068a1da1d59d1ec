import { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentListIndexes1795870734805 implements MigrationInterface {
  name = 'AgentListIndexes1795870734805';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`idx_agent_region_status_code\` ON \`agent\` (\`regionId\`, \`status\`, \`code\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_agent_region_code\` ON \`agent\` (\`regionId\`, \`code\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_agent_region_code\` ON \`agent\``);
    await queryRunner.query(`DROP INDEX \`idx_agent_region_status_code\` ON \`agent\``);
  }
}
