import type Redis from 'ioredis';
import type { TaskEntity } from './task.entity';
import type { TaskFence } from './task-fence';
import type { TaskRepository } from './task.repository';
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

/** The host the checkpoint names (`hostId`); a host removed meanwhile makes the task unknowable
 * with `gone` (what is unknown and what to check). */
export function checkpointHost<H>(
  hosts: { get(id: string): Promise<H> },
  cp: TaskCheckpoint,
  gone: string,
): Promise<H> {
  return hosts.get(cp.hostId as string).catch(() => {
    throw new TaskUnknowable(gone);
  });
}

export interface ClaimedTask {
  task: TaskEntity;
  checkpoint: TaskCheckpoint | null;
  /** The claimer's fencing token: its writes to the task are conditional on it. */
  fence: TaskFence;
}

/**
 * Active tasks whose engine is gone: no owner, or the owner's liveness key expired. When Redis
 * cannot be read, only ownerless tasks are certain orphans. This engine's own tasks never are.
 */
export async function findOrphans(
  repo: TaskRepository,
  redis: Redis,
  livenessKey: (engineId: string) => string,
  me: string,
): Promise<{ id: string; ownerEngine: string | null }[]> {
  const active = await repo.activeOwners();
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
 * task ended meanwhile). The claim bumps the owner generation: the previous owner, should it be
 * alive after all, is fenced out of every further write (task-fence.ts).
 */
export async function claimOrphan(
  repo: TaskRepository,
  orphan: { id: string; ownerEngine: string | null },
  me: string,
): Promise<ClaimedTask | null> {
  const claimed = await repo.takeOwnership(orphan.id, orphan.ownerEngine, me);
  if (!claimed) return null;
  return {
    task: await repo.byId(orphan.id),
    checkpoint: claimed.checkpoint,
    fence: { owner: me, generation: claimed.generation },
  };
}

/** Gives a claimed task back (owner null: every engine's next sweep sees an orphan). */
export function releaseClaim(repo: TaskRepository, id: string, me: string): Promise<void> {
  return repo.dropOwnership(id, me);
}
