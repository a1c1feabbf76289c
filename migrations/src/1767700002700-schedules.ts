import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled operations: the schedule (one time or a cron expression) and its runs. A run is claimed by
 * inserting its (schedule, due time) row: the unique key is what makes a run happen once, whichever
 * engine's queue worker got the job. */
export class Schedules1767700002700 implements MigrationInterface {
  name = 'Schedules1767700002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "schedule" (
      "id" uuid NOT NULL,
      "name" character varying(64),
      "action" character varying(32) NOT NULL,
      "target_type" character varying(8) NOT NULL,
      "target_id" uuid NOT NULL,
      "params" jsonb NOT NULL DEFAULT '{}',
      "run_at" TIMESTAMP WITH TIME ZONE,
      "cron" character varying(128),
      "timezone" character varying(64) NOT NULL DEFAULT 'UTC',
      "state" character varying(16) NOT NULL DEFAULT 'active',
      "created_by" character varying(255) NOT NULL,
      "created_by_user_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "cancelled_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "pk_schedule" PRIMARY KEY ("id"),
      CONSTRAINT "ck_schedule_action" CHECK ("action" IN ('vm.migrate', 'host.maintenance', 'vm.start', 'vm.shutdown', 'vm.poweroff', 'vm.reboot', 'vm.snapshot')),
      CONSTRAINT "ck_schedule_target_type" CHECK ("target_type" IN ('vm', 'host')),
      CONSTRAINT "ck_schedule_state" CHECK ("state" IN ('active', 'done', 'cancelled')),
      CONSTRAINT "ck_schedule_when" CHECK (("run_at" IS NULL) <> ("cron" IS NULL)))`);
    await q.query(`CREATE INDEX "ix_schedule_target" ON "schedule" ("target_id")`);
    await q.query(`CREATE TABLE "schedule_run" (
      "id" uuid NOT NULL,
      "schedule_id" uuid NOT NULL,
      "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "outcome" character varying(16) NOT NULL,
      "task_id" uuid,
      "reason" character varying(2048),
      CONSTRAINT "pk_schedule_run" PRIMARY KEY ("id"),
      CONSTRAINT "uq_schedule_run_due" UNIQUE ("schedule_id", "due_at"),
      CONSTRAINT "ck_schedule_run_outcome" CHECK ("outcome" IN ('started', 'refused')),
      CONSTRAINT "fk_schedule_run_schedule" FOREIGN KEY ("schedule_id") REFERENCES "schedule"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "schedule_run"`);
    await q.query(`DROP TABLE "schedule"`);
  }
}
