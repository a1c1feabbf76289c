import type { Task } from '@kelpie/shared-types';
import type { ApiResponse } from './engine';
import { eventually } from './platform';

type Api = <T>(method: string, path: string, body?: unknown) => Promise<ApiResponse<T>>;

/** The task once it left queued/running (long-polled with `?wait=`). */
export function waitFinal(api: Api, id: string, ms = 120_000): Promise<Task> {
  return eventually(
    `task ${id} final`,
    async () => {
      const t = (await api<Task>('GET', `/api/v1/tasks/${id}?wait=5000`)).body;
      return ['queued', 'running'].includes(t.status) ? undefined : t;
    },
    ms,
    0,
  );
}

/** The task a 202 answered with (anything else throws, with the body). */
export async function accepted(res: Promise<{ status: number; body: unknown }>): Promise<Task> {
  const r = await res;
  if (r.status !== 202) throw new Error(`expected 202, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Task;
}
