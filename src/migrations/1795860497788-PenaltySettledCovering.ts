import { MigrationInterface, QueryRunner } from 'typeorm';

export class PenaltySettledCovering1795860497788 implements MigrationInterface {
  name = 'PenaltySettledCovering1795860497788';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_penalty_settled\` ON \`penalty\``);
    await queryRunner.query(`CREATE INDEX \`idx_penalty_settled\` ON \`penalty\` (\`settledPeriod\`, \`agentId\`, \`amountFen\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_penalty_settled\` ON \`penalty\``);
    await queryRunner.query(`CREATE INDEX \`idx_penalty_settled\` ON \`penalty\` (\`settledPeriod\`, \`agentId\`)`);
  }
}
