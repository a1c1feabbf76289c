import type { MigrationInterface, QueryRunner } from 'typeorm';

/** iSCSI storage domains: the CHAP secret of a domain, sealed by the engine (never in clear), in a
 * table of its own, and the libvirt secret UUID the hosts define for it. */
export class StorageDomainSecret1767700001800 implements MigrationInterface {
  name = 'StorageDomainSecret1767700001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "storage_domain_secret" ("storage_domain_id" uuid NOT NULL, "secret_uuid" uuid NOT NULL, "sealed" character varying(2048) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_storage_domain_secret" PRIMARY KEY ("storage_domain_id"))`,
    );
    await q.query(
      `ALTER TABLE "storage_domain_secret" ADD CONSTRAINT "fk_storage_domain_secret_domain" FOREIGN KEY ("storage_domain_id") REFERENCES "storage_domain"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "storage_domain_secret"`);
  }
}
