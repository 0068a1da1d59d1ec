import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoanerLoanMsisdnIndex1795860862958 implements MigrationInterface {
  name = 'LoanerLoanMsisdnIndex1795860862958';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`idx_loaner_loan_msisdn\` ON \`loaner_loan\` (\`customerMsisdn\`, \`id\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_loaner_loan_msisdn\` ON \`loaner_loan\``);
  }
}
