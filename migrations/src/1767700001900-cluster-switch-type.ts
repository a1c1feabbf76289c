import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How a cluster's hosts carry its networks: Linux bridges (what existing clusters have) or Open vSwitch. */
export class ClusterSwitchType1767700001900 implements MigrationInterface {
  name = 'ClusterSwitchType1767700001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" ADD "switch_type" varchar(16) NOT NULL DEFAULT 'linux_bridge'`);
    await q.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster_switch_type" CHECK ("switch_type" IN ('linux_bridge', 'ovs'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster_switch_type"`);
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "switch_type"`);
  }
}
