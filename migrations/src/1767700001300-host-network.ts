import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Host networking as the agents report it (one JSON document a host), and the `non_operational`
 * host status (a required network missing). */
export class HostNetwork1767700001300 implements MigrationInterface {
  name = 'HostNetwork1767700001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "host_network_state" (
      "host_id" uuid NOT NULL,
      "state" jsonb NOT NULL,
      "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_host_network_state" PRIMARY KEY ("host_id"),
      CONSTRAINT "fk_host_network_state_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE
    )`);
    await q.query(`ALTER TABLE "host" DROP CONSTRAINT "ck_host_status"`);
    await q.query(
      `ALTER TABLE "host" ADD CONSTRAINT "ck_host_status" CHECK ("status" IN ('installing', 'up', 'non_responsive', 'non_operational', 'preparing_for_maintenance', 'maintenance', 'error'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "host" SET "status" = 'up' WHERE "status" = 'non_operational'`);
    await q.query(`ALTER TABLE "host" DROP CONSTRAINT "ck_host_status"`);
    await q.query(
      `ALTER TABLE "host" ADD CONSTRAINT "ck_host_status" CHECK ("status" IN ('installing', 'up', 'non_responsive', 'preparing_for_maintenance', 'maintenance', 'error'))`,
    );
    await q.query(`DROP TABLE "host_network_state"`);
  }
}
