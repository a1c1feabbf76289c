import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One exclusive task per VM/disk: a lock row per held object, its primary key refuses a second
 * holder; rows go with their task (written with it, deleted when it becomes final). */
export class TaskLocks1767500000000 implements MigrationInterface {
  name = 'TaskLocks1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "task_lock" (
      "object_id" uuid NOT NULL,
      "object_type" character varying(32) NOT NULL,
      "task_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_task_lock" PRIMARY KEY ("object_id"),
      CONSTRAINT "fk_task_lock_task" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_task_lock_task" ON "task_lock" ("task_id")`);
    // Tasks active before this migration ran hold their targets, as new ones do.
    await q.query(`INSERT INTO "task_lock" ("object_id", "object_type", "task_id")
      SELECT DISTINCT ON ("target_id") "target_id", "target_type", "id" FROM "task"
       WHERE "status" IN ('queued', 'running') AND "target_type" IN ('vm', 'disk') AND "target_id" IS NOT NULL
       ORDER BY "target_id", "created_at" DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "task_lock"`);
  }
}
