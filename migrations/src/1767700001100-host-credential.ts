import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-host Redis ACL users: the user name and the SHA-256 of its password (never the password). */
export class HostCredential1767700001100 implements MigrationInterface {
  name = 'HostCredential1767700001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "host_credential" ("host_id" uuid NOT NULL, "redis_user" character varying(160) NOT NULL, "password_sha256" character(64) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_host_credential" PRIMARY KEY ("host_id"))`,
    );
    await q.query(
      `ALTER TABLE "host_credential" ADD CONSTRAINT "fk_host_credential_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "host_credential"`);
  }
}
