import { FINAL_TASK_STATUSES, ObjectRef, TaskStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { TaskCheckpoint } from './task-adoption';
import { TaskEntity } from './task.entity';
import type { AccessLink, TaskAccess } from '../auth/access-tree.port';

const ACTIVE = [TaskStatus.Queued, TaskStatus.Running];

/** A task holding a locked object, as a 409 names it. */
export interface LockHolder {
  object_id: string;
  object_type: string;
  task_id: string;
  task_type: string;
  status: string;
}

/**
 * The statements of the task tables that are more than plain entity reads and writes: claiming a
 * dead engine's task with one conditional UPDATE, and the `task_lock` rows (ADR 0007). Lock
 * statements take the caller's transaction (`em`): they commit with the task row they belong to.
 */
@Injectable()
export class TaskRepository implements TaskAccess {
  constructor(@InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>) {}

  /** A task inherits from its target, whatever kind it is (TaskAccess: auth ends the chain on a kind
   * the grant tree does not know). */
  async accessLink(id: string): Promise<AccessLink | null> {
    const rows: { target_type: string | null; target_id: string | null }[] = await this.tasks.query(
      `SELECT target_type, target_id FROM task WHERE id = $1`,
      [id],
    );
    const t = rows[0];
    return t?.target_type && t.target_id ? { refs: [], up: { type: t.target_type, id: t.target_id } } : null;
  }

  /** Queued and running tasks with the engine that owns each. */
  activeOwners(): Promise<{ id: string; ownerEngine: string | null }[]> {
    return this.tasks.find({ where: { status: In(ACTIVE) }, select: { id: true, ownerEngine: true } });
  }

  byId(id: string): Promise<TaskEntity> {
    return this.tasks.findOneByOrFail({ id });
  }

  /** Gives the task to `to` (a new owner generation) if `from` still owns it and it is active; null
   * when another engine won or the task ended meanwhile. */
  async takeOwnership(
    id: string,
    from: string | null,
    to: string,
  ): Promise<{ checkpoint: TaskCheckpoint | null; generation: number } | null> {
    const res: unknown = await this.tasks.query(
      `UPDATE task SET owner_engine = $3, owner_generation = owner_generation + 1, updated_at = now()
        WHERE id = $1 AND owner_engine IS NOT DISTINCT FROM $2 AND status IN ('queued', 'running')
        RETURNING id, checkpoint, owner_generation`,
      [id, from, to],
    );
    const rows = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as {
      checkpoint: TaskCheckpoint | null;
      owner_generation: number;
    }[];
    const row = rows[0];
    return row ? { checkpoint: row.checkpoint, generation: row.owner_generation } : null;
  }

  /** Owner null, if `owner` still owns the task. */
  async dropOwnership(id: string, owner: string): Promise<void> {
    await this.tasks.query(`UPDATE task SET owner_engine = NULL WHERE id = $1 AND owner_engine = $2`, [
      id,
      owner,
    ]);
  }

  /** Deletes up to `batch` final tasks that finished before `cutoff` (a queued or running task is
   * never pruned, however old; rows another engine is deleting are skipped); returns how many. */
  async deleteFinished(cutoff: Date, batch: number): Promise<number> {
    const [, deleted] = (await this.tasks.query(
      `DELETE FROM task WHERE id IN (
         SELECT id FROM task WHERE status = ANY($3) AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batch, FINAL_TASK_STATUSES],
    )) as [unknown, number];
    return deleted;
  }

  // ---- task_lock ----

  /** Inserts a lock row per object for `taskId`; an object already locked keeps its row (the primary
   * key on object_id makes a concurrent insert wait for the other transaction, then skip). */
  async insertLocks(em: EntityManager, taskId: string, objects: ObjectRef[]): Promise<void> {
    await em.query(
      `INSERT INTO task_lock (object_id, object_type, task_id)
       SELECT o, t, $3 FROM unnest($1::uuid[], $2::varchar[]) AS u(o, t)
       ON CONFLICT (object_id) DO NOTHING`,
      [objects.map((o) => o.id), objects.map((o) => o.type), taskId],
    );
  }

  /** The tasks (other than `except`) holding any of `objectIds`, by object id. */
  lockHolders(objectIds: string[], except: string | null, em = this.tasks.manager): Promise<LockHolder[]> {
    return em.query(
      `SELECT l.object_id, l.object_type, l.task_id, t.type AS task_type, t.status
         FROM task_lock l JOIN task t ON t.id = l.task_id
        WHERE l.object_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR l.task_id <> $2::uuid)
        ORDER BY l.object_id`,
      [objectIds, except],
    );
  }

  /** Deletes the locks on `objectIds`, whoever holds them. */
  async deleteLocksOn(em: EntityManager, objectIds: string[]): Promise<void> {
    await em.query(`DELETE FROM task_lock WHERE object_id = ANY($1::uuid[])`, [objectIds]);
  }

  /** Deletes every lock `taskId` holds. */
  async deleteLocksOf(em: EntityManager, taskId: string): Promise<void> {
    await em.query(`DELETE FROM task_lock WHERE task_id = $1`, [taskId]);
  }

  /** The status of each of the tasks `ids` that exist, by id. */
  async statusesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const tasks = await this.tasks.find({ where: { id: In(ids) }, select: { id: true, status: true } });
    return new Map(tasks.map((t) => [t.id, t.status]));
  }

  /** Of the tasks `ids`, the ones still queued or running (in the caller's transaction when given). */
  async activeAmong(ids: string[], em: EntityManager = this.tasks.manager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await em.find(TaskEntity, {
      where: { id: In(ids), status: In(ACTIVE) },
      select: { id: true },
    });
    return new Set(rows.map((t) => t.id));
  }

  /** Tasks not yet final, counted per type (key) and status, in one grouped statement. */
  async activeCountsByType(): Promise<{ key: string; status: string; count: number }[]> {
    const rows: { key: string; status: string; count: string }[] = await this.tasks.query(
      `SELECT type AS key, status, count(*) AS count FROM task
        WHERE status IN ('queued', 'running') GROUP BY type, status`,
    );
    return rows.map((r) => ({ key: r.key, status: r.status, count: Number(r.count) }));
  }
}
