import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fencing token of a task's owner: every claim bumps it, and every write of the task's runner is
 * conditional on (owner_engine, owner_generation), so an engine taken for dead cannot write over
 * the engine that adopted its task. */
export class TaskOwnerGeneration1767700000800 implements MigrationInterface {
  name = 'TaskOwnerGeneration1767700000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task" ADD "owner_generation" integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task" DROP COLUMN "owner_generation"`);
  }
}
