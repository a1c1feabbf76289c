import type { MigrationInterface, QueryRunner } from 'typeorm';

const THRESHOLDS = JSON.stringify({
  evenly: { cpuHighPercent: 80, cpuLowPercent: 60, memoryHighPercent: 80, memoryLowPercent: 60 },
  powerSaving: { lowUtilizationPercent: 20, highUtilizationPercent: 80 },
  vmCount: { maxSpread: 2 },
});

/** Per-policy thresholds and periodic balancing per cluster (off for existing clusters), the VM-count
 * policy, and the hosts of an affinity group (VM↔host affinity and pinning). */
export class BalancingAndHostAffinity1767700003000 implements MigrationInterface {
  name = 'BalancingAndHostAffinity1767700003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" ADD "balancing_enabled" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "cluster" ADD "scheduling_thresholds" jsonb NOT NULL DEFAULT '${THRESHOLDS}'`);
    await q.query(`ALTER TABLE "cluster" ALTER COLUMN "scheduling_thresholds" DROP DEFAULT`);
    await q.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster_scheduling_policy"`);
    await q.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster_scheduling_policy" CHECK ("scheduling_policy" IN ('evenly_distributed', 'power_saving', 'vm_count', 'none'))`,
    );
    await q.query(`CREATE TABLE "affinity_group_host" (
      "group_id" uuid NOT NULL,
      "host_id" uuid NOT NULL,
      CONSTRAINT "pk_affinity_group_host" PRIMARY KEY ("group_id", "host_id"),
      CONSTRAINT "fk_affinity_group_host_group" FOREIGN KEY ("group_id") REFERENCES "affinity_group"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_affinity_group_host_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_affinity_group_host_host" ON "affinity_group_host" ("host_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "affinity_group_host"`);
    await q.query(
      `UPDATE "cluster" SET "scheduling_policy" = 'evenly_distributed' WHERE "scheduling_policy" = 'vm_count'`,
    );
    await q.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster_scheduling_policy"`);
    await q.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster_scheduling_policy" CHECK ("scheduling_policy" IN ('evenly_distributed', 'power_saving', 'none'))`,
    );
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "scheduling_thresholds"`);
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "balancing_enabled"`);
  }
}
