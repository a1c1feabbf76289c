import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable tasks: what an engine adopting an orphaned task needs to drive it to its real end. */
export class TaskCheckpoint1767500000300 implements MigrationInterface {
  name = 'TaskCheckpoint1767500000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task" ADD "checkpoint" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "task" DROP COLUMN "checkpoint"`);
  }
}
