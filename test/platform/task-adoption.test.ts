import { virshOrThrow } from '@kelpie/lab';
import type { Task, VmMigration } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationKit } from '../migration/migration-kit';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { addLabInfrastructure, eventually, smallVmOn } from '../support/platform';
import { defineTestVm, domblklist, startAndWaitReady } from '../vm/support-ks';

/** Durable tasks (lab kqd1): an engine SIGKILLed in the middle of a task; the surviving engine (or
 * the restarted one) adopts it and ends it the way libvirt says it ended. Engine A is a real child
 * process (it can be killed); engine B is the test platform's in-process engine. Both share the
 * database and the Redis prefix; liveness expires after 4 s instead of 30 s. */
const TTL_MS = '4000';
/** Engine A stops for good at these steps, so it is killed exactly there (see KELPIE_TEST_FAILPOINTS). */
const FAILPOINTS = 'vm.create:defining,vm.snapshot.delete:delete-sent';
let k: MigrationKit;
let infra: { sdId: string; networkId: string };
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
async function migrateSlowly(e: EngineProcess, vmId: string, to: string, mibps = 4): Promise<Task> {
  const res = await e.api<Task>('POST', `/api/v1/vms/${vmId}/migrate`, {
    targetHostId: k.hostId(to),
    maxBandwidthMiBps: mibps,
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
  const adopted = await api<{ total: number }>('GET', `/api/v1/events?type=task.adopted&objectId=${taskId}`);
  expect(adopted.body.total).toBe(1);
}

beforeAll(async () => {
  k = await MigrationKit.start({
    labName: 'kqd1',
    subnet: 113,
    hosts: 2,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
  });
  infra = await addLabInfrastructure(k.p);
}, 240_000);

/** Polls the task's stored checkpoint (not in the API) until it reaches `phase`. */
const reachedPhase = (taskId: string, phase: string) =>
  eventually(
    `task ${taskId} at checkpoint ${phase}`,
    async () =>
      (
        await k.p.engine.sql<{ phase: string }>(
          `SELECT checkpoint->>'phase' AS phase FROM task WHERE id = $1`,
          [taskId],
        )
      )[0]?.phase === phase,
    60_000,
    100,
  );

afterAll(async () => {
  for (const e of engines) await e.stop().catch(() => undefined);
  if (k) await k.close();
  // The in-process engine was closed by the restart test, so its close() may not have dropped it.
  await k?.p.engine.db.drop().catch(() => undefined);
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

  it('migration: an adopted migration can be cancelled on the survivor; the VM stays on the source', async () => {
    const a = await startA();
    const task = await migrateSlowly(a, guest.id, 'h1', 2);
    await a.kill();
    await eventually(
      'the survivor adopting the migration',
      async () =>
        (await k.api('GET', `/api/v1/events?type=task.adopted&objectId=${task.id}`)).body.total === 1,
      60_000,
      250,
    );
    const cancel = await k.api('POST', `/api/v1/vms/${guest.id}/migrate/cancel`);
    expect(cancel.status).toBe(202);
    const final = await k.waitTask(task.id, 60_000);
    expect(final.status).toBe('cancelled');
    expect(await k.whereIs(guest.id)).toEqual({ h2: 'running' });
    await eventually(
      'the VM shown up on h2',
      async () => {
        const v = await k.vm(guest.id);
        return v.hostId === k.hostId('h2') && v.status === 'up';
      },
      20_000,
    );
    const m = (await k.api('GET', `/api/v1/migrations/${task.id}`)).body as VmMigration;
    expect(m.status).toBe('cancelled');
  }, 180_000);

  it('create: killed after making the volume, before defining the VM: the survivor removes the volume and the records', async () => {
    const a = await startA({ KELPIE_TEST_FAILPOINTS: FAILPOINTS });
    const res = await a.api<Task>('POST', '/api/v1/vms', smallVmOn(k.p, infra, 'kqd-new', k.hostId('h1')));
    expect(res.status).toBe(202);
    const task = res.body;
    await reachedPhase(task.id, 'defining');
    const [disk] = await k.p.engine.sql<{ volume_path: string }>(
      `SELECT volume_path FROM disk WHERE vm_id = $1`,
      [task.target!.id],
    );
    expect(existsSync(disk!.volume_path)).toBe(true);
    await a.kill();
    const final = await k.waitTask(task.id, 120_000);
    expect(final.status).toBe('failed');
    expect(final.errorMessage).toMatch(
      /stopped at step "defining" before the VM was defined on kqd1-h1; removed volumes/,
    );
    expect(existsSync(disk!.volume_path)).toBe(false);
    expect((await k.api('GET', `/api/v1/vms/${task.target!.id}`)).status).toBe(404);
    expect(await k.whereIs(task.target!.id)).toEqual({});
  }, 180_000);

  it('snapshot merge: killed while the host merges the overlay: the survivor finishes the delete', async () => {
    const g = await defineTestVm(k.p, 'kqd-snap');
    await startAndWaitReady(k.p, g);
    const snapRes = await k.api('POST', `/api/v1/vms/${g.id}/snapshots`, { name: 'ext', type: 'external' });
    expect(snapRes.status).toBe(202);
    const taken = await k.waitTask((snapRes.body as Task).id);
    expect(taken.status).toBe('succeeded');
    const { snapshotId, overlays } = taken.result as { snapshotId: string; overlays: { path: string }[] };
    const overlay = overlays[0]!.path;
    expect((await domblklist(k.p, g.id)).find((r) => r[2] === 'vda')![3]).toBe(overlay);

    const a = await startA({ KELPIE_TEST_FAILPOINTS: FAILPOINTS });
    const del = await a.api<Task>('DELETE', `/api/v1/vms/${g.id}/snapshots/${snapshotId}`);
    expect(del.status).toBe(202);
    await reachedPhase(del.body.id, 'delete-sent');
    await a.kill();
    const final = await k.waitTask(del.body.id, 120_000);
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    // libvirt: the overlay merged back and removed, no snapshot left; the record gone too.
    expect((await domblklist(k.p, g.id)).find((r) => r[2] === 'vda')![3]).toBe(g.disk);
    expect(existsSync(overlay)).toBe(false);
    expect((await virshOrThrow(k.uriOf('h1'), ['snapshot-list', '--name', g.id])).trim()).toBe('');
    expect(await k.p.engine.sql(`SELECT id FROM snapshot WHERE id = $1`, [snapshotId])).toEqual([]);
    expect(await k.whereIs(g.id)).toEqual({ h1: 'running' });
  }, 240_000);

  it('migration with a single engine: killed, then restarted, the new process adopts it', async () => {
    // Only child engines from here on: the in-process one stops (its database stays).
    await k.p.engine.app.close();
    const a = await startA();
    const task = await migrateSlowly(a, guest.id, 'h1');
    await a.kill();
    const restarted = await startA();
    const deadline = Date.now() + 180_000;
    let final = await taskVia(restarted, task.id);
    while (['queued', 'running'].includes(final.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      final = await taskVia(restarted, task.id);
    }
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    await expectMigratedTo(guest.id, task.id, 'h1', restarted.api);
  }, 300_000);
});
