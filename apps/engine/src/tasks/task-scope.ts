import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskFence } from './task-fence';

/** The task whose work is running (its id and its runner's fence), seen by everything that work
 * calls: the command bus puts the fence on each agent command, so a host can refuse the commands
 * of a runner taken for dead (ADR 0016). */
export interface TaskScope {
  taskId: string;
  fence: TaskFence;
}

const scope = new AsyncLocalStorage<TaskScope>();

/** Runs `work` as the work of the task `taskId` under `fence`. */
export function runInTaskScope<R>(taskId: string, fence: TaskFence, work: () => Promise<R>): Promise<R> {
  return scope.run({ taskId, fence }, work);
}

/** The task whose work is calling, if any. */
export function currentTaskScope(): TaskScope | undefined {
  return scope.getStore();
}
