import { FINAL_TASK_STATUSES, type Task } from '@kelpie/shared-types';

/** A call of the engine's API as the test harnesses make it. */
export type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown; headers: Headers }>;

/** The task a long action answered: a 202 whose Location names the task (else the answer, thrown). */
export function acceptedTask(res: { status: number; body: unknown; headers: Headers }, what: string): Task {
  if (res.status !== 202) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  const task = res.body as Task;
  const location = res.headers.get('location');
  if (location !== `/api/v1/tasks/${task.id}`) throw new Error(`${what}: Location ${location}, not the task`);
  return task;
}

/** Waits for the task's final state, asking with `?wait=` so the engine answers as soon as it changes. */
export async function finalTask(api: ApiCall, id: string, timeoutMs = 90_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  let last: Task | undefined;
  while (Date.now() < deadline) {
    last = (await api('GET', `/api/v1/tasks/${id}?wait=5000`)).body as Task;
    if (FINAL_TASK_STATUSES.includes(last.status)) return last;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for task ${id} (last: ${last?.status ?? 'none'})`);
}
