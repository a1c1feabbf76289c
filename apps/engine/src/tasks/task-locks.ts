import { FINAL_TASK_STATUSES, ObjectRef, ObjectType, TaskStatus } from '@kelpie/shared-types';
import type { EntityManager } from 'typeorm';
import { invalidState } from '../common/errors/domain-error';
import type { LockHolder, TaskRepository } from './task.repository';

/** Objects whose tasks are exclusive: a second task on the same VM or disk is refused. */
const LOCKABLE: string[] = [ObjectType.Vm, ObjectType.Disk];

/** What a task locks when its creator does not say: its target, when that is a VM or a disk. */
export function defaultLocks(target: ObjectRef | null): ObjectRef[] {
  return target && LOCKABLE.includes(target.type) ? [target] : [];
}

/**
 * Locks `objects` for `taskId` inside the caller's transaction (the one inserting the task row).
 * The primary key on task_lock.object_id decides between racing requests: a concurrent insert of the
 * same object waits for the other transaction and then finds its row. Objects are locked in id order
 * so two tasks wanting the same pair cannot deadlock. Throws 409 naming the task holding an object.
 */
export async function acquireLocks(
  repo: TaskRepository,
  em: EntityManager,
  taskId: string,
  objects: ObjectRef[],
): Promise<void> {
  const wanted = [...new Map(objects.map((o) => [o.id, o])).values()].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  if (!wanted.length) return;
  const ids = wanted.map((o) => o.id);
  for (let attempt = 0; ; attempt++) {
    await repo.insertLocks(em, taskId, wanted);
    const holders = await repo.lockHolders(ids, taskId, em);
    if (!holders.length) return;
    // A lock whose task is already final was left by a writer that bypassed the final transition:
    // it guards nothing; drop it and try once more.
    const stale = holders
      .filter((h) => FINAL_TASK_STATUSES.includes(h.status as TaskStatus))
      .map((h) => h.object_id);
    if (stale.length && attempt === 0) {
      await repo.deleteLocksOn(em, stale);
      continue;
    }
    throw busy(wanted, holders);
  }
}

/** 409 when a task holds one of `objects`. Only a quick answer before costly preparations: the lock
 * taken with the task is what decides between racing requests. */
export async function assertFree(repo: TaskRepository, objects: ObjectRef[]): Promise<void> {
  const holders = await repo.lockHolders(
    objects.map((o) => o.id),
    null,
  );
  const live = holders.filter((h) => !FINAL_TASK_STATUSES.includes(h.status as TaskStatus));
  if (live.length) throw busy(objects, live);
}

function busy(wanted: ObjectRef[], holders: LockHolder[]): Error {
  const names = new Map(wanted.map((o) => [o.id, o]));
  const label = (h: LockHolder) => {
    const o = names.get(h.object_id);
    return `${h.object_type === ObjectType.Vm ? 'VM' : h.object_type} ${o?.name ?? h.object_id}`;
  };
  const first = holders[0]!;
  return invalidState(
    `${label(first)} is busy with ${first.task_type} (task ${first.task_id}); retry when it has finished`,
    holders.map((h) => ({
      reason: `${label(h)} is held by running task ${h.task_type}`,
      ref: { type: ObjectType.Task, id: h.task_id, name: h.task_type },
    })),
  );
}
