import type { TaskEntity } from './task.entity';

/**
 * Who may write a task: the engine that owns it, in the generation it got it. An engine cut from
 * Redis for a whole liveness TTL is taken for dead and its tasks are claimed by another (which bumps
 * the generation) while the first may still be running them; every write of a task's runner
 * (progress, checkpoint, final transition) is conditional on its fence, so the late writer is
 * refused instead of overwriting the adopter's work.
 */
export interface TaskFence {
  owner: string;
  generation: number;
}

/** The runner's fence no longer holds: another engine owns the task. Its runner must stop. */
export class TaskFenced extends Error {
  constructor(
    readonly taskId: string,
    readonly fence: TaskFence,
    readonly current: { owner: string | null; generation: number },
    /** Who noticed, when not the task's own record (a host refusing the runner's command). */
    why?: string,
  ) {
    super(
      (why ??
        `task ${taskId} now belongs to engine ${current.owner ?? '(none)'} (generation ${current.generation})`) +
        `; this engine (${fence.owner}, generation ${fence.generation}) was taken for dead and stops driving it`,
    );
  }
}

/** Conditions added to a runner's UPDATE (none for writes that are not the runner's). */
export function fenceWhere(fence?: TaskFence): { ownerEngine?: string; ownerGeneration?: number } {
  return fence ? { ownerEngine: fence.owner, ownerGeneration: fence.generation } : {};
}

/** True when `fence` no longer matches the stored owner. */
export function isFencedOut(
  fence: TaskFence | undefined,
  stored: Pick<TaskEntity, 'ownerEngine' | 'ownerGeneration'>,
): boolean {
  return !!fence && (stored.ownerEngine !== fence.owner || stored.ownerGeneration !== fence.generation);
}
