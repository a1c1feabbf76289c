import { virshOrThrow } from '@kelpie/lab';
import type { BalancePlan, Page, Schedule, ScheduleDetail, Task } from '@kelpie/shared-types';
import { join } from 'node:path';
import { MigrationKit, StartedGuest } from '../migration/migration-kit';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';
import { accepted, waitFinal } from '../support/tasks';

/** Rolling maintenance of a cluster in lab `ksr1` (3 hosts, real TCG guests). Engine A, a real child
 * process, starts the run and is SIGKILLed while the second host is being evacuated; engine B (the
 * test platform's, sharing database and Redis) adopts the run and finishes it. The guests never stop
 * (sampled with virsh on every host the whole time), each host is in maintenance exactly once, and the
 * per-host steps end done. Also: the request's refusals, "wait for the admin" with continue, balancing
 * pausing for the hosts of a running rolling maintenance, cancel; and scheduled operations end to end
 * on real guests: a migration and a maintenance run once at their time, a cancelled one never. */
const TTL_MS = '4000';
const V1 = '/api/v1';
let k: MigrationKit;
let a: EngineProcess | undefined;
const g: Record<string, StartedGuest> = {};
const api = (method: string, path: string, body?: unknown) => k.api(method, `${V1}${path}`, body);
const rolling = () => `/clusters/${k.p.clusterId}/rolling-maintenance`;
const hostIds = () => ['h1', 'h2', 'h3'].map((h) => k.hostId(h));

/** For each guest, whether libvirt has it active (running or paused mid-migration) on some host. */
async function active(): Promise<Record<string, boolean>> {
  const names = new Set<string>();
  for (const h of ['h1', 'h2', 'h3'])
    for (const n of (await virshOrThrow(k.uriOf(h), ['list', '--name'])).split('\n')) names.add(n.trim());
  return Object.fromEntries(Object.entries(g).map(([key, s]) => [key, names.has(s.name)]));
}

/** How many times each host entered maintenance, from the audit log. */
async function maintenanceEntries(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const h of ['h1', 'h2', 'h3']) {
    const page = (await api('GET', `/events?type=host.status&objectId=${k.hostId(h)}&limit=100`))
      .body as Page<{ message: string }>;
    out[h] = page.items.filter((e) => / is in maintenance \(was /.test(e.message)).length;
  }
  return out;
}

beforeAll(async () => {
  k = await MigrationKit.start({
    labName: 'ksr1',
    subnet: 192,
    hosts: 3,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
  });
  g.a = await k.startGuest('h1', 'ksr-a', { memoryMiB: 96 });
  g.b = await k.startGuest('h2', 'ksr-b', { memoryMiB: 96 });
}, 240_000);

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  if (k) await k.close();
});

it('refuses a bad request with the field and reason, and starts nothing', async () => {
  const stranger = await api('POST', rolling(), {
    hostIds: [k.hostId('h1'), '00000000-0000-4000-8000-000000000000'],
  });
  expect(stranger.status).toBe(400);
  expect(JSON.stringify(stranger.body)).toMatch(
    /"field":"hostIds\[1\]","reason":"host 0{8}-.* is not in cluster main"/,
  );
  const twice = await api('POST', rolling(), { hostIds: [k.hostId('h1'), k.hostId('h1')] });
  expect(JSON.stringify(twice.body)).toMatch(
    /"field":"hostIds\[1\]","reason":"host ksr1-h1 is listed twice"/,
  );
  const action = await api('POST', rolling(), { action: 'reboot' });
  expect(action.status).toBe(400);
  expect(JSON.stringify(action.body)).toMatch(/action/);
  const tasks = (await api('GET', '/tasks?type=cluster.rolling_maintenance')).body as Page<Task>;
  expect(tasks.total).toBe(0);
});

it('a VM defined nowhere that only breaking an enforcing affinity group could place: 409 naming it, nothing reaches a host', async () => {
  const created = await api('POST', '/vms', {
    name: 'ksr-nowhere',
    clusterId: k.p.clusterId,
    vcpus: 1,
    memoryMib: 64,
  });
  expect(created.status).toBe(201);
  const vmId = (created.body as { id: string }).id;
  const group = await api('POST', `/clusters/${k.p.clusterId}/affinity-groups`, {
    name: 'off-all',
    polarity: 'negative',
    enforcing: true,
    vmIds: [vmId],
    hostIds: hostIds(),
  });
  expect(group.status).toBe(201);
  try {
    const start = await api('POST', `/vms/${vmId}/start`);
    expect(start.status).toBe(409);
    expect((start.body as { message: string }).message).toMatch(
      /^no host can run VM ksr-nowhere without breaking an enforcing affinity group: ksr1-h1: negative affinity group off-all/,
    );
    for (const h of ['h1', 'h2', 'h3']) expect(await k.whereIs(vmId)).not.toHaveProperty(h);
    expect(((await api('GET', `/tasks?objectId=${vmId}`)).body as Page<Task>).total).toBe(0);
  } finally {
    await api('DELETE', `/clusters/${k.p.clusterId}/affinity-groups/${(group.body as { id: string }).id}`);
    await api('DELETE', `/vms/${vmId}`);
  }
});

it('"wait for the admin": the host waits in maintenance until continue; a second run meanwhile is a 409', async () => {
  // h3 runs no VM: its maintenance is immediate.
  const t = await accepted(api('POST', rolling(), { hostIds: [k.hostId('h3')], action: 'wait_for_admin' }));
  await eventually(
    'h3 waiting for the admin in maintenance',
    async () => {
      const now = (await api('GET', `/tasks/${t.id}`)).body as Task;
      return now.steps[0]?.message?.startsWith('in maintenance, waiting for the admin');
    },
    30_000,
    300,
  );
  expect((await k.host('h3')).status).toBe('maintenance');
  const second = await api('POST', rolling());
  expect(second.status).toBe(409);
  expect(JSON.stringify(second.body)).toMatch(/already running|ksr1-h3 is in maintenance/);
  const cont = await api('POST', `${rolling()}/continue`);
  expect(cont.status).toBe(200);
  const final = await waitFinal(k.api, t.id, 60_000);
  expect({ status: final.status, error: final.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect(final.steps).toEqual([expect.objectContaining({ name: 'ksr1-h3', status: 'done' })]);
  expect((await k.host('h3')).status).toBe('up');
  // Nothing waits any more.
  expect((await api('POST', `${rolling()}/continue`)).status).toBe(409);
});

it('balancing leaves the hosts of a running rolling maintenance alone; cancel stops the run where it is', async () => {
  const t = await accepted(
    api('POST', rolling(), { hostIds: [k.hostId('h3'), k.hostId('h1')], action: 'wait_for_admin' }),
  );
  await eventually(
    'h3 in maintenance',
    async () => (await k.host('h3')).status === 'maintenance',
    30_000,
    300,
  );
  // h1 is up, but still to come in the run: neither a source nor a target (the dry run is the run's plan).
  const paused = (await api('GET', `/clusters/${k.p.clusterId}/balance/plan`)).body as BalancePlan;
  const state = (p: BalancePlan, h: string) => p.hosts.find((x) => x.hostName === `ksr1-${h}`);
  expect(state(paused, 'h1')).toMatchObject({
    state: 'excluded',
    excludedBecause: `paused: in the running rolling maintenance (task ${t.id})`,
  });
  expect(state(paused, 'h3')!.excludedBecause).toMatch(/^paused: in the running rolling maintenance/);
  expect(state(paused, 'h2')!.state).not.toBe('excluded');

  const res = await api('POST', `/tasks/${t.id}/cancel`);
  expect(res.status).toBe(202);
  expect((await waitFinal(k.api, t.id, 30_000)).status).toBe('cancelled');
  await new Promise((r) => setTimeout(r, 1500));
  expect((await k.host('h3')).status).toBe('maintenance');
  expect((await k.host('h1')).status).toBe('up');
  const after = (await api('GET', `/clusters/${k.p.clusterId}/balance/plan`)).body as BalancePlan;
  expect(state(after, 'h1')!.state).not.toBe('excluded');
  expect(state(after, 'h3')!.excludedBecause).toBe('host is in maintenance');
  const activated = await api('POST', `/hosts/${k.hostId('h3')}/activate`);
  expect(activated.status).toBe(200);
});

it('rolls h1, h2, h3 with running guests; the engine dies mid-run and another one finishes it', async () => {
  const before = await maintenanceEntries();
  await k.guestBooted(g.a!.log, 'guest a booted');
  await k.guestBooted(g.b!.log, 'guest b booted');
  const beats = { a: await k.heartbeat(g.a!.log), b: await k.heartbeat(g.b!.log) };

  // The guests must be active on some host at every moment of the run.
  const gaps: string[] = [];
  let samples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await active();
      for (const [key, on] of Object.entries(now))
        if (!on) gaps.push(`${key} at ${new Date().toISOString()}`);
      samples++;
      await new Promise((r) => setTimeout(r, 700));
    }
  })();

  try {
    a = await startEngineProcess({
      db: k.p.engine.db,
      redisPrefix: k.p.engine.config.redisPrefix,
      env: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
      logFile: join(k.p.labStatus.stateDir, 'engine-a.log'),
    });
    const res = await a.api<Task>('POST', `${V1}${rolling()}`, { hostIds: hostIds() });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`${V1}/tasks/${res.body.id}`);
    const t = res.body;
    expect(t.steps.map((s) => [s.name, s.status])).toEqual([
      ['ksr1-h1', 'pending'],
      ['ksr1-h2', 'pending'],
      ['ksr1-h3', 'pending'],
    ]);
    // Killed once h1 is done and h2 is being evacuated.
    await eventually(
      'h1 done, h2 entering maintenance',
      async () => {
        const now = (await api('GET', `/tasks/${t.id}`)).body as Task;
        return now.steps[0]?.status === 'done' && (await k.host('h2')).status !== 'up';
      },
      120_000,
      200,
    );
    await a.kill();
    const final = await waitFinal(k.api, t.id, 240_000);
    expect({ status: final.status, error: final.errorMessage }).toEqual({ status: 'succeeded', error: null });
    expect(final.steps.map((s) => [s.name, s.status])).toEqual([
      ['ksr1-h1', 'done'],
      ['ksr1-h2', 'done'],
      ['ksr1-h3', 'done'],
    ]);
    const adopted = (await api('GET', `/events?type=task.adopted&objectId=${t.id}`)).body as Page<unknown>;
    expect(adopted.total).toBe(1);
  } finally {
    sampling = false;
    await sampler;
  }
  expect(gaps).toEqual([]);
  expect(samples).toBeGreaterThan(10);
  const after = await maintenanceEntries();
  expect(Object.fromEntries(Object.entries(after).map(([h, n]) => [h, n - (before[h] ?? 0)]))).toEqual({
    h1: 1,
    h2: 1,
    h3: 1,
  });
  for (const h of ['h1', 'h2', 'h3']) expect((await k.host(h)).status).toBe('up');
  // Still running, still alive: each guest's heartbeat went on through its migrations.
  await k.heartbeatAfter(g.a!.log, beats.a, 'guest a heartbeat after the run');
  await k.heartbeatAfter(g.b!.log, beats.b, 'guest b heartbeat after the run');
  for (const key of ['a', 'b']) {
    expect((await k.vm(g[key]!.id)).status).toBe('up');
    // Each guest left its host live (h1's and h2's evacuations), at least once.
    const moves = (await api('GET', `/migrations?vmId=${g[key]!.id}&status=succeeded`)).body as Page<unknown>;
    expect(moves.total).toBeGreaterThanOrEqual(1);
  }
}, 420_000);

it('a migration and a maintenance scheduled 12 s ahead run once each; a cancelled migration never runs', async () => {
  const runningOn = async (key: string) =>
    Object.entries(await k.whereIs(g[key]!.id)).find(([, state]) => state === 'running')![0];
  const from = await runningOn('b');
  const to = ['h1', 'h2', 'h3'].find((h) => h !== from)!;
  const maintained = ['h1', 'h2', 'h3'].find((h) => h !== from && h !== to)!;
  const runAt = new Date(Date.now() + 12_000).toISOString();
  const schedule = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/schedules', { runAt, ...body });
    expect(res.status).toBe(201);
    return res.body as Schedule;
  };
  const migration = await schedule({
    action: 'vm.migrate',
    vmId: g.b!.id,
    migrate: { targetHostId: k.hostId(to) },
  });
  const cancelled = await schedule({ action: 'vm.migrate', vmId: g.a!.id });
  expect((await api('DELETE', `/schedules/${cancelled.id}`)).status).toBe(200);
  const maintenance = await schedule({ action: 'host.maintenance', hostId: k.hostId(maintained) });

  const detail = async (id: string) => (await api('GET', `/schedules/${id}`)).body as ScheduleDetail;
  const ran = async (id: string) => {
    const d = await detail(id);
    return d.runs.length === 1 && d.runs[0]!.taskStatus === 'succeeded' ? d : null;
  };
  await eventually('the scheduled migration done', () => ran(migration.id), 90_000, 500);
  await eventually('the scheduled maintenance done', () => ran(maintenance.id), 90_000, 500);
  // Past the due time long enough for a second run, had there been one.
  await new Promise((r) => setTimeout(r, 3000));
  for (const s of [migration, maintenance]) {
    const d = await detail(s.id);
    expect(d.runs).toHaveLength(1);
    expect(d).toMatchObject({ state: 'done', nextRunAt: null });
  }
  expect(await runningOn('b')).toBe(to);
  expect((await k.host(maintained)).status).toBe('maintenance');
  expect((await virshOrThrow(k.uriOf(maintained), ['list', '--name'])).trim()).toBe('');
  expect((await detail(cancelled.id)).runs).toEqual([]);
  expect(
    await k.p.engine.sql('SELECT id FROM task WHERE correlation_id = $1', [`schedule-${cancelled.id}`]),
  ).toEqual([]);
  expect((await api('POST', `/hosts/${k.hostId(maintained)}/activate`)).status).toBe(200);
}, 180_000);
