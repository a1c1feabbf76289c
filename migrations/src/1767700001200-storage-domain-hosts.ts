import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Storage domains as real pools on the hosts: the lifecycle statuses (detached, degraded,
 * maintenance), the host-local type, the reason a domain is degraded, each host's view of each
 * domain, and the `non_operational` host status (a host that cannot reach an active domain). */
export class StorageDomainHosts1767700001200 implements MigrationInterface {
  name = 'StorageDomainHosts1767700001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "storage_domain" DROP CONSTRAINT "ck_storage_domain_status"`);
    await q.query(
      `ALTER TABLE "storage_domain" ADD CONSTRAINT "ck_storage_domain_status" CHECK ("status" IN ('detached', 'inactive', 'active', 'degraded', 'maintenance', 'unknown'))`,
    );
    await q.query(`ALTER TABLE "storage_domain" DROP CONSTRAINT "ck_storage_domain_type"`);
    await q.query(
      `ALTER TABLE "storage_domain" ADD CONSTRAINT "ck_storage_domain_type" CHECK ("type" IN ('dir', 'local', 'nfs', 'iscsi', 'rbd', 'lvm'))`,
    );
    await q.query(`ALTER TABLE "storage_domain" ADD "status_reason" character varying(2000)`);
    await q.query(`ALTER TABLE "host" DROP CONSTRAINT "ck_host_status"`);
    await q.query(
      `ALTER TABLE "host" ADD CONSTRAINT "ck_host_status" CHECK ("status" IN ('installing', 'up', 'non_responsive', 'preparing_for_maintenance', 'maintenance', 'error', 'non_operational'))`,
    );
    await q.query(`CREATE TABLE "storage_domain_host" (
      "storage_domain_id" uuid NOT NULL,
      "host_id" uuid NOT NULL,
      "status" character varying(16) NOT NULL,
      "capacity_bytes" bigint,
      "available_bytes" bigint,
      "error" character varying(1000),
      "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "pk_storage_domain_host" PRIMARY KEY ("storage_domain_id", "host_id"),
      CONSTRAINT "ck_storage_domain_host_status" CHECK ("status" IN ('active', 'failed')),
      CONSTRAINT "fk_storage_domain_host_domain" FOREIGN KEY ("storage_domain_id") REFERENCES "storage_domain"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_storage_domain_host_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "storage_domain_host"`);
    await q.query(`UPDATE "host" SET "status" = 'up' WHERE "status" = 'non_operational'`);
    await q.query(`ALTER TABLE "host" DROP CONSTRAINT "ck_host_status"`);
    await q.query(
      `ALTER TABLE "host" ADD CONSTRAINT "ck_host_status" CHECK ("status" IN ('installing', 'up', 'non_responsive', 'preparing_for_maintenance', 'maintenance', 'error'))`,
    );
    await q.query(`ALTER TABLE "storage_domain" DROP COLUMN "status_reason"`);
    await q.query(`UPDATE "storage_domain" SET "type" = 'dir' WHERE "type" = 'local'`);
    await q.query(`ALTER TABLE "storage_domain" DROP CONSTRAINT "ck_storage_domain_type"`);
    await q.query(
      `ALTER TABLE "storage_domain" ADD CONSTRAINT "ck_storage_domain_type" CHECK ("type" IN ('dir', 'nfs', 'iscsi', 'rbd', 'lvm'))`,
    );
    await q.query(
      `UPDATE "storage_domain" SET "status" = CASE WHEN "status" IN ('active', 'degraded') THEN 'active' ELSE 'inactive' END WHERE "status" NOT IN ('active', 'inactive', 'unknown')`,
    );
    await q.query(`ALTER TABLE "storage_domain" DROP CONSTRAINT "ck_storage_domain_status"`);
    await q.query(
      `ALTER TABLE "storage_domain" ADD CONSTRAINT "ck_storage_domain_status" CHECK ("status" IN ('active', 'inactive', 'unknown'))`,
    );
  }
}
