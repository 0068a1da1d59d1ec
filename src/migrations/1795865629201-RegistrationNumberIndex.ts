import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk loads were bound by the registration indexes keyed by random values once they outgrow the
 * buffer pool. One unique (msisdn, activeMsisdn) now serves a number's history and "one live line
 * per number"; the import finds rows it already stored by agent, number and opening instant
 * through it, so the importKey column and its index go; identity hashes keep 128 bits.
 */
export class RegistrationNumberIndex1795865629201 implements MigrationInterface {
  name = 'RegistrationNumberIndex1795865629201';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_registration_import_key\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`uq_registration_active_msisdn\` ON \`registration\``);
    await queryRunner.query(`DROP INDEX \`idx_registration_msisdn\` ON \`registration\``);
    await queryRunner.query(`ALTER TABLE \`registration\` DROP COLUMN \`importKey\``);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_registration_msisdn_live\` ON \`registration\` (\`msisdn\`, \`activeMsisdn\`)`);
    // Full 256-bit hashes (43 base64url characters) to their first 128 bits, as IdentityCipher.hash now makes them.
    await queryRunner.query(
      `UPDATE \`registration\` SET \`idHash\` = REPLACE(REPLACE(TRIM(TRAILING '=' FROM TO_BASE64(LEFT(FROM_BASE64(CONCAT(REPLACE(REPLACE(\`idHash\`, '-', '+'), '_', '/'), '=')), 16))), '+', '-'), '/', '_') WHERE CHAR_LENGTH(\`idHash\`) = 43`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_registration_msisdn_live\` ON \`registration\``);
    await queryRunner.query(`ALTER TABLE \`registration\` ADD \`importKey\` varchar(24) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_registration_msisdn\` ON \`registration\` (\`msisdn\`)`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_registration_active_msisdn\` ON \`registration\` (\`activeMsisdn\`)`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_registration_import_key\` ON \`registration\` (\`importKey\`)`);
  }
}
