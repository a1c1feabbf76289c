import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users of an OpenID Connect provider: found again by (issuer, subject), whatever their username. */
export class OidcUsers1767700002200 implements MigrationInterface {
  name = 'OidcUsers1767700002200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "app_user" ADD "external_issuer" character varying(512)`);
    await q.query(`ALTER TABLE "app_user" ADD "external_subject" character varying(255)`);
    await q.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "uq_app_user_external" UNIQUE ("external_issuer", "external_subject")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "app_user" DROP CONSTRAINT "uq_app_user_external"`);
    await q.query(`ALTER TABLE "app_user" DROP COLUMN "external_subject"`);
    await q.query(`ALTER TABLE "app_user" DROP COLUMN "external_issuer"`);
  }
}
