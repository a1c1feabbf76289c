import type { Task, VmMigration } from '@kelpie/shared-types';
import { join } from 'node:path';
import { MigrationKit } from '../migration/migration-kit';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';

/** Durable tasks (lab kqd1): an engine SIGKILLed in the middle of a task; the surviving engine (or
 * the restarted one) adopts it and ends it the way libvirt says it ended. Engine A is a real child
 * process (it can be killed); engine B is the test platform's in-process engine. Both share the
 * database and the Redis prefix; liveness expires after 4 s instead of 30 s. */
const TTL_MS = '4000';
let k: MigrationKit;
const engines: EngineProcess[] = [];

const startA = async (env: Record<string, string> = {}) => {
  const e = await startEngineProcess({
    db: k.p.engine.db,
    redisPrefix: k.p.engine.config.redisPrefix,
    env: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS, ...env },
    logFile: join(k.p.labStatus.stateDir, `engine-${engines.length}.log`),
  });
  engines.push(e);
  return e;
};

const taskVia = async (e: { api: EngineProcess['api'] }, id: string) =>
  (await e.api<Task>('GET', `/api/v1/tasks/${id}`)).body;

/** Starts a bandwidth-limited migration through `e` and resolves once libvirt is copying memory. */
async function migrateSlowly(e: EngineProcess, vmId: string, to: string): Promise<Task> {
  const res = await e.api<Task>('POST', `/api/v1/vms/${vmId}/migrate`, {
    targetHostId: k.hostId(to),
    maxBandwidthMiBps: 4,
    autoConverge: false,
  });
  if (res.status !== 202) throw new Error(`migrate → ${res.status} ${JSON.stringify(res.body)}`);
  await eventually(
    'the migration copying memory',
    async () => {
      const t = await taskVia(e, res.body.id);
      return t.status === 'running' && t.progress >= 3 && t.progress < 90;
    },
    60_000,
    200,
  );
  return res.body;
}

/** The end state libvirt and the engine must agree on after an adopted migration. */
async function expectMigratedTo(vmId: string, taskId: string, to: string, api: EngineProcess['api']) {
  expect(await k.whereIs(vmId)).toEqual({ [to]: 'running' });
  const vm = (await api<{ hostId: string; status: string }>('GET', `/api/v1/vms/${vmId}`)).body;
  expect(vm.hostId).toBe(k.hostId(to));
  const m = (await api<VmMigration>('GET', `/api/v1/migrations/${taskId}`)).body;
  expect(m.status).toBe('succeeded');
  const adopted = await k.p.engine.sql<{ n: string }>(
    `SELECT count(*) AS n FROM event WHERE type = 'task.adopted' AND refs @> $1::jsonb`,
    [JSON.stringify([{ type: 'task', id: taskId }])],
  );
  expect(Number(adopted[0]!.n)).toBe(1);
}

beforeAll(async () => {
  k = await MigrationKit.start({
    labName: 'kqd1',
    subnet: 113,
    hosts: 2,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
  });
}, 240_000);

afterAll(async () => {
  for (const e of engines) await e.stop().catch(() => undefined);
  if (k) await k.close();
});

describe('an engine killed mid-task', () => {
  let guest: { id: string; log: string };

  it('migration: the surviving engine adopts it; the VM runs once, on the target, as libvirt says', async () => {
    guest = await k.startGuest('h1', 'kqd-mig', { memoryMiB: 256 });
    const a = await startA();
    const task = await migrateSlowly(a, guest.id, 'h2');
    await a.kill();
    const beat = await k.heartbeat(guest.log);
    // B finds A's liveness expired, claims the task, re-attaches to the agent's migration job.
    const final = await k.waitTask(task.id, 180_000);
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    await expectMigratedTo(guest.id, task.id, 'h2', k.api);
    await k.heartbeatAfter(guest.log, beat, 'guest heartbeat after the adopted migration');
  }, 300_000);
});
