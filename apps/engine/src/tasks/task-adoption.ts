import { TaskStatus } from '@kelpie/shared-types';
import type Redis from 'ioredis';
import { In, Repository } from 'typeorm';
import { TaskEntity } from './task.entity';
import type { TaskContext } from './tasks.service';

/** What a task recorded at its last key step: `phase` plus whatever its adopter needs. */
export type TaskCheckpoint = { phase: string } & Record<string, unknown>;

/** Settles a task whose engine died: ask the hosts what really happened, then return the result
 * (the task succeeds), throw a DomainError (it fails), throw TaskUnknowable (it is interrupted), or
 * end the task itself (e.g. cancelled). */
export type TaskAdopter = (
  ctx: TaskContext,
  checkpoint: TaskCheckpoint,
) => Promise<Record<string, unknown> | null | void>;

/** Thrown by an adopter when the hosts cannot tell how the task ended: the task becomes
 * `interrupted` with this message, which must say what is unknown and what to check. */
export class TaskUnknowable extends Error {}

export interface ClaimedTask {
  task: TaskEntity;
  checkpoint: TaskCheckpoint | null;
}

const ACTIVE = [TaskStatus.Queued, TaskStatus.Running];

/**
 * Active tasks whose engine is gone: no owner, or the owner's liveness key expired. When Redis
 * cannot be read, only ownerless tasks are certain orphans. This engine's own tasks never are.
 */
export async function findOrphans(
  repo: Repository<TaskEntity>,
  redis: Redis,
  livenessKey: (engineId: string) => string,
  me: string,
): Promise<{ id: string; ownerEngine: string | null }[]> {
  const active = await repo.find({ where: { status: In(ACTIVE) }, select: { id: true, ownerEngine: true } });
  if (!active.length) return [];
  const owners = [...new Set(active.map((t) => t.ownerEngine).filter((o): o is string => !!o))];
  let alive: Set<string>;
  try {
    const found = owners.length ? await redis.mget(owners.map(livenessKey)) : [];
    alive = new Set(owners.filter((_, i) => found[i] !== null));
  } catch {
    alive = new Set(owners);
  }
  alive.add(me);
  return active
    .filter((t) => !t.ownerEngine || !alive.has(t.ownerEngine))
    .map((t) => ({ id: t.id, ownerEngine: t.ownerEngine }));
}

/**
 * Makes this engine the task's owner if it still belongs to the dead one: one conditional UPDATE,
 * so of several engines sweeping at once exactly one adopts it. null when another engine won (or the
 * task ended meanwhile).
 */
export async function claimOrphan(
  repo: Repository<TaskEntity>,
  orphan: { id: string; ownerEngine: string | null },
  me: string,
): Promise<ClaimedTask | null> {
  const res: unknown = await repo.query(
    `UPDATE task SET owner_engine = $3, updated_at = now()
      WHERE id = $1 AND owner_engine IS NOT DISTINCT FROM $2 AND status IN ('queued', 'running')
      RETURNING id, checkpoint`,
    [orphan.id, orphan.ownerEngine, me],
  );
  const rows = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as {
    id: string;
    checkpoint: TaskCheckpoint | null;
  }[];
  if (!rows.length) return null;
  return { task: await repo.findOneByOrFail({ id: orphan.id }), checkpoint: rows[0]!.checkpoint };
}

/** Gives a claimed task back (owner null: every engine's next sweep sees an orphan). */
export async function releaseClaim(repo: Repository<TaskEntity>, id: string, me: string): Promise<void> {
  await repo.query(`UPDATE task SET owner_engine = NULL WHERE id = $1 AND owner_engine = $2`, [id, me]);
}
