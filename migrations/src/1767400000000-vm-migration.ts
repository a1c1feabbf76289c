import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Live migrations. One row per migration (id = its task's id); while `running` with an
 * active task it decides who owns the VM: the VM moves to the target only once the target reported
 * it running AND the source reported it gone. */
export class VmMigration1767400000000 implements MigrationInterface {
  name = 'VmMigration1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "vm_migration" (
      "id" uuid NOT NULL,
      "vm_id" uuid NOT NULL,
      "source_host_id" uuid NOT NULL,
      "target_host_id" uuid NOT NULL,
      "status" character varying(16) NOT NULL,
      "policy" jsonb NOT NULL,
      "target_reason" text NOT NULL,
      "progress" jsonb,
      "progress_samples" integer NOT NULL DEFAULT '0',
      "result" jsonb,
      "error" text,
      "target_running_at" TIMESTAMP WITH TIME ZONE,
      "source_gone_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "finished_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "pk_vm_migration" PRIMARY KEY ("id"),
      CONSTRAINT "ck_vm_migration_status" CHECK ("status" IN ('running', 'succeeded', 'failed', 'cancelled')),
      CONSTRAINT "ck_vm_migration_hosts" CHECK ("source_host_id" <> "target_host_id"),
      CONSTRAINT "fk_vm_migration_vm" FOREIGN KEY ("vm_id") REFERENCES "vm"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_vm_migration_vm" ON "vm_migration" ("vm_id")`);
    await q.query(`CREATE INDEX "ix_vm_migration_status" ON "vm_migration" ("status")`);
    await q.query(`CREATE INDEX "ix_vm_migration_source" ON "vm_migration" ("source_host_id")`);
    await q.query(`CREATE INDEX "ix_vm_migration_target" ON "vm_migration" ("target_host_id")`);
    await q.query(`CREATE INDEX "ix_vm_migration_created_at" ON "vm_migration" ("created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "vm_migration"`);
  }
}
