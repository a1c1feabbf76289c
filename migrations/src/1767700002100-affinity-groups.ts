import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Affinity groups: VMs of a cluster kept together or apart, enforced (a scheduling filter) or soft
 * (a weight). Membership is a table so a deleted VM or cluster leaves no stale member behind. */
export class AffinityGroups1767700002100 implements MigrationInterface {
  name = 'AffinityGroups1767700002100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "affinity_group" (
      "name" character varying(64) NOT NULL,
      "description" character varying(1024) NOT NULL DEFAULT '',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "id" uuid NOT NULL,
      "cluster_id" uuid NOT NULL,
      "polarity" character varying(16) NOT NULL,
      "enforcing" boolean NOT NULL,
      CONSTRAINT "pk_affinity_group" PRIMARY KEY ("id"),
      CONSTRAINT "uq_affinity_group_cluster_name" UNIQUE ("cluster_id", "name"),
      CONSTRAINT "ck_affinity_group_name" CHECK ("name" ~ '^[A-Za-z0-9_.-]{1,64}$'),
      CONSTRAINT "ck_affinity_group_polarity" CHECK ("polarity" IN ('positive', 'negative')),
      CONSTRAINT "fk_affinity_group_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE TABLE "affinity_group_vm" (
      "group_id" uuid NOT NULL,
      "vm_id" uuid NOT NULL,
      CONSTRAINT "pk_affinity_group_vm" PRIMARY KEY ("group_id", "vm_id"),
      CONSTRAINT "fk_affinity_group_vm_group" FOREIGN KEY ("group_id") REFERENCES "affinity_group"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_affinity_group_vm_vm" FOREIGN KEY ("vm_id") REFERENCES "vm"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_affinity_group_vm_vm" ON "affinity_group_vm" ("vm_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "affinity_group_vm"`);
    await q.query(`DROP TABLE "affinity_group"`);
  }
}
