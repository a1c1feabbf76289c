import { testGuest, virshOrThrow } from '@kelpie/lab';
import { commandQueueName, Host, HostStatus, Task } from '@kelpie/shared-types';
import { Queue } from 'bullmq';
import {
  addLabInfrastructure,
  eventually,
  PlatformOptions,
  startTestPlatform,
  TestPlatform,
} from '../support/platform';

export const V1 = '/api/v1';

/** A platform with the default infrastructure: a dir storage domain on the lab's shared
 * directory and a bridged VM network on br0 attached to the cluster. */
export interface VmLab {
  p: TestPlatform;
  sdId: string;
  networkId: string;
  guest: { kernel: string; initrd: string };
  uri(labHost: string): string;
  /** Total jobs ever queued for a host (completed + failed + waiting + active + delayed). */
  queuedJobs(labHost: string): Promise<number>;
  /** `virsh list --all --uuid` of every host. */
  domainsEverywhere(): Promise<Record<string, string[]>>;
  waitTask(task: Task, timeoutMs?: number): Promise<Task>;
  close(): Promise<void>;
}

/** Lab `kv` (subnet 81, 2 hosts) unless the caller names its own. */
export async function startVmLab(options: Partial<PlatformOptions> = {}): Promise<VmLab> {
  const p = await startTestPlatform({ labName: 'kv', subnet: 81, hosts: 2, ...options });
  const queues: Queue[] = [];
  try {
    const { sdId, networkId } = await addLabInfrastructure(p);
    for (const h of Object.keys(p.hosts)) {
      await eventually(
        `${h} up with capabilities`,
        async () => {
          const host = (await p.engine.api('GET', `${V1}/hosts/${p.hosts[h].id}`)).body as Host;
          return host.status === HostStatus.Up && host.capabilities ? host : undefined;
        },
        60_000,
        200,
      );
    }
    const guest = await testGuest();
    const connection = { url: process.env.KELPIE_TEST_REDIS_URL };
    const queueOf = (labHost: string) => {
      const q = new Queue(commandQueueName(p.hosts[labHost].id), {
        connection,
        prefix: p.engine.config.redisPrefix,
      });
      queues.push(q);
      return q;
    };
    const byHost = new Map<string, Queue>();
    const uri = (labHost: string) => p.labStatus.hosts.find((h) => h.name === labHost)!.uri;
    return {
      p,
      sdId,
      networkId,
      guest: { kernel: guest.kernel, initrd: guest.initrd },
      uri,
      queuedJobs: async (labHost) => {
        if (!byHost.has(labHost)) byHost.set(labHost, queueOf(labHost));
        const counts = await byHost
          .get(labHost)!
          .getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).reduce((a, b) => a + b, 0);
      },
      domainsEverywhere: async () => {
        const out: Record<string, string[]> = {};
        for (const h of p.labStatus.hosts) {
          out[h.name] = (await virshOrThrow(h.uri, ['list', '--all', '--uuid']))
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .sort();
        }
        return out;
      },
      waitTask: async (task, timeoutMs = 90_000) => {
        const deadline = Date.now() + timeoutMs;
        let t = task;
        while (Date.now() < deadline) {
          t = (
            await p.engine.api(
              'GET',
              `${V1}/tasks/${task.id}?wait=${Math.min(30_000, deadline - Date.now())}`,
            )
          ).body as Task;
          if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status)) return t;
        }
        throw new Error(`task ${task.type} ${task.id} still ${t.status} after ${timeoutMs} ms`);
      },
      close: async () => {
        for (const q of queues) await q.close().catch(() => undefined);
        await p.close();
      },
    };
  } catch (err) {
    for (const q of queues) await q.close().catch(() => undefined);
    await p.close();
    throw err;
  }
}
