import type { Task } from '@kelpie/shared-types';
import type { EngineProcess } from './engine-process';

const FINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Waits for a task with the API's long poll (`GET /tasks/{id}?wait=`), which answers as soon as the
 * task is final: the time it returns is when a client learns the outcome. */
export async function waitTask(engine: EngineProcess, task: Task, timeoutMs = 120_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  let t = task;
  while (!FINAL.includes(t.status)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`task ${t.type} ${t.id} still ${t.status} after ${timeoutMs} ms`);
    t = await engine.ok<Task>('GET', `/api/v1/tasks/${t.id}?wait=${Math.min(30_000, left)}`);
  }
  return t;
}

/** POST an action answered 202 + task, then wait for the task to succeed. */
export async function runTask(
  engine: EngineProcess,
  path: string,
  body?: unknown,
  timeoutMs?: number,
): Promise<Task> {
  const res = await engine.api<Task>('POST', path, body);
  if (res.status !== 202) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  const t = await waitTask(engine, res.body, timeoutMs);
  if (t.status !== 'succeeded') throw new Error(`${t.type} ${t.status}: ${t.errorMessage ?? ''}`);
  return t;
}

/** Polls `cond` every `everyMs` until true; throws `what` after `timeoutMs`. */
export async function until(
  what: string,
  cond: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
