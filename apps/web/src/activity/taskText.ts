import type { Task, TaskStatus } from '@kelpie/shared-types';
import { api, as, read } from '../api/client';

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export const isFinalTask = (t: Pick<Task, 'status'>) => FINAL_TASK_STATUSES.includes(t.status);

/** How long the task ran (or has been running): from its start (else its creation) to its end (else now). */
export function taskDurationMs(t: Task, now = Date.now()): number | null {
  const start = Date.parse(t.startedAt ?? t.createdAt);
  const end = t.finishedAt ? Date.parse(t.finishedAt) : isFinalTask(t) ? NaN : now;
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start);
}

export function fmtDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const ENDED: Record<string, string> = {
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted (the engine restarted)',
};

/**
 * What a task says in one line: its live progress while it runs, its outcome once final. The last
 * progress message of a finished task ("waiting for libvirt…") is history, not its state.
 */
export function taskMessage(t: Task): { text: string; error: boolean } {
  if (!isFinalTask(t)) {
    const waiting = t.status === 'queued' ? 'Waiting to start' : '';
    return { text: t.progressMessage ?? waiting, error: false };
  }
  if (t.status === 'succeeded') {
    const ms = taskDurationMs(t);
    return { text: ms === null ? 'Succeeded' : `Succeeded in ${fmtDuration(ms)}`, error: false };
  }
  return { text: t.errorMessage ?? ENDED[t.status] ?? t.status, error: true };
}

/** Waits for a task to finish with the API's long poll (`?wait=`: answers as soon as it is final). */
export async function waitForTask(task: Task, waitMs = 20_000): Promise<Task> {
  let t = task;
  while (!FINAL_TASK_STATUSES.includes(t.status))
    t = await read(
      api.GET('/api/v1/tasks/{id}', { params: { path: { id: t.id }, query: { wait: waitMs } } }),
      as<Task>(),
    );
  return t;
}
