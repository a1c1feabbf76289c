import { Task } from '@kelpie/shared-types';
import { V1, VmLab } from '../vm/lifecycle-support';

/** The engine API of a storage test's lab: plain calls, GETs, and tasks waited for (and required to
 * succeed). `lab()` is read at call time: the lab starts in beforeAll. */
export function labApi(lab: () => VmLab) {
  const api = (method: string, path: string, body?: unknown) =>
    lab().p.engine.api(method, `${V1}${path}`, body);
  const get = async <T>(path: string) => (await api('GET', path)).body as T;
  async function task(method: string, path: string, body?: unknown): Promise<Task> {
    const res = await api(method, path, body);
    if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return lab().waitTask(res.body as Task);
  }
  async function succeeded(method: string, path: string, body?: unknown): Promise<Task> {
    const t = await task(method, path, body);
    if (t.status !== 'succeeded') throw new Error(`${t.type} ${t.status}: ${t.errorMessage}`);
    return t;
  }
  return { api, get, task, succeeded };
}
