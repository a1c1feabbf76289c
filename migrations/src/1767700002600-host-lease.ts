import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What other hosts see of each host's lease records on the shared storage (ADR 0037). */
export class HostLease1767700002600 implements MigrationInterface {
  name = 'HostLease1767700002600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "host_lease" ("host_id" uuid NOT NULL, "renewed_at" TIMESTAMP WITH TIME ZONE, "unchanged_since" TIMESTAMP WITH TIME ZONE NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "checked_by" uuid NOT NULL, CONSTRAINT "pk_host_lease" PRIMARY KEY ("host_id"))`,
    );
    await q.query(
      `ALTER TABLE "host_lease" ADD CONSTRAINT "fk_host_lease_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "host_lease"`);
  }
}
