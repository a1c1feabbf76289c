import { virshOrThrow } from '@kelpie/lab';
import type { AffinityViolation, BalancePlan, Cluster, Page, Task } from '@kelpie/shared-types';
import { MigrationKit, StartedGuest } from '../migration/migration-kit';
import { eventually } from '../support/platform';

/** Periodic balancing in lab `kbl1` (3 hosts, real TCG guests): the thresholds' validation, the
 * vm_count policy spreading VMs started on one host (virsh per host), each move a `vm.migrate` task
 * with its reason, the dry-run plan matching what ran, an enforcing negative VM↔host group kept by
 * balancing, and the affinity violations view. Short interval and batch via the engine's env. */
let k: MigrationKit;
const g: Record<string, StartedGuest> = {};
const V1 = '/api/v1';
const api = (method: string, path: string, body?: unknown) => k.api(method, `${V1}${path}`, body);
const clusterPath = () => `/clusters/${k.p.clusterId}`;
const hostName = (h: string) => `kbl1-${h}`;
const cluster = async () => (await api('GET', clusterPath())).body as Cluster;
const plan = async () => (await api('GET', `${clusterPath()}/balance/plan`)).body as BalancePlan;
const patch = async (body: Record<string, unknown>) => {
  const res = await api('PATCH', clusterPath(), body);
  expect({ status: res.status, body: res.status === 200 ? null : res.body }).toEqual({
    status: 200,
    body: null,
  });
};
/** The guests libvirt runs on each host, by their test name (a, b, ...). */
async function running(): Promise<Record<string, string[]>> {
  const byName = new Map(Object.entries(g).map(([n, s]) => [s.name, n]));
  const out: Record<string, string[]> = {};
  for (const h of ['h1', 'h2', 'h3']) {
    const list = await virshOrThrow(k.uriOf(h), ['list', '--name', '--state-running']);
    out[h] = list
      .split('\n')
      .map((l) => byName.get(l.trim()))
      .filter((n): n is string => !!n)
      .sort();
  }
  return out;
}
const balancerTasks = async () =>
  ((await api('GET', '/tasks?type=vm.migrate&sort=createdAt:asc&limit=50')).body as Page<Task>).items.filter(
    (t) => t.requestedBy === 'balancer',
  );

beforeAll(async () => {
  k = await MigrationKit.start({
    labName: 'kbl1',
    subnet: 183,
    hosts: 3,
    engineEnv: {
      KELPIE_BALANCE_INTERVAL_MS: '2000',
      KELPIE_BALANCE_BATCH: '2',
      KELPIE_BALANCE_COOLDOWN_MS: '600000',
    },
  });
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

it('validates the thresholds (400 naming the field, nothing written); balancing is off by default', async () => {
  const before = await cluster();
  expect(before.balancingEnabled).toBe(false);
  expect(before.schedulingThresholds).toEqual({
    evenly: { cpuHighPercent: 80, cpuLowPercent: 60, memoryHighPercent: 80, memoryLowPercent: 60 },
    powerSaving: { lowUtilizationPercent: 20, highUtilizationPercent: 80 },
    vmCount: { maxSpread: 2 },
  });
  const low = await api('PATCH', clusterPath(), {
    schedulingPolicy: 'vm_count',
    schedulingThresholds: { evenly: { memoryLowPercent: 85 } },
  });
  expect(low.status).toBe(400);
  expect(JSON.stringify(low.body)).toContain(
    '"field":"schedulingThresholds.evenly.memoryLowPercent","reason":"memoryLowPercent 85 must be below memoryHighPercent 80"',
  );
  const zero = await api('PATCH', clusterPath(), { schedulingThresholds: { vmCount: { maxSpread: 0 } } });
  expect(zero.status).toBe(400);
  expect(JSON.stringify(zero.body)).toMatch(/maxSpread/);
  const after = await cluster();
  expect(after).toMatchObject({
    schedulingPolicy: before.schedulingPolicy,
    schedulingThresholds: before.schedulingThresholds,
  });
});

it('vm_count balancing spreads VMs started on one host, keeping a negative VM↔host group; the dry run matches', async () => {
  for (const n of ['a', 'b', 'c']) g[n] = await k.startGuest('h1', `kbl1-${n}`, { memoryMiB: 128 });
  // a is kept off h2 (enforcing): balancing may only move it to h3, though vm_count would pick h2 first.
  const group = await api('POST', `${clusterPath()}/affinity-groups`, {
    name: 'not-h2',
    polarity: 'negative',
    enforcing: true,
    vmIds: [g.a.id],
    hostIds: [k.hostId('h2')],
  });
  expect(group.status).toBe(201);
  expect(group.body).toMatchObject({ hostIds: [k.hostId('h2')] });
  await patch({ schedulingPolicy: 'vm_count', schedulingThresholds: { vmCount: { maxSpread: 1 } } });

  // The dry run: one batch of two, a to h3 (h2 refused by the group), then b to h2; nothing moved yet.
  const dry = await plan();
  expect(dry).toMatchObject({ policy: 'vm_count', balancingEnabled: false, withinThresholds: false });
  expect(dry.moves.map((m) => [m.vmId, m.fromHostName, m.toHostName])).toEqual([
    [g.a.id, hostName('h1'), hostName('h3')],
    [g.b.id, hostName('h1'), hostName('h2')],
  ]);
  expect(dry.moves[0].reason).toMatch(
    /^VM count: kbl1-h1 runs 3 VMs, kbl1-h2 0 \(spread 3 > 1\); to kbl1-h3: fewest running VMs/,
  );
  expect(dry.hosts.map((h) => [h.hostName, h.runningVms])).toEqual([
    [hostName('h1'), 3],
    [hostName('h2'), 0],
    [hostName('h3'), 0],
  ]);
  expect(await running()).toEqual({ h1: ['a', 'b', 'c'], h2: [], h3: [] });

  await patch({ balancingEnabled: true });
  await eventually(
    'the VMs spread by the balancer',
    async () => {
      const r = await running();
      return r.h1.length === 1 && r.h2.length === 1 && r.h3.length === 1 ? r : undefined;
    },
    150_000,
    1000,
  );
  await patch({ balancingEnabled: false });
  expect(await running()).toEqual({ h1: ['c'], h2: ['b'], h3: ['a'] });

  // virsh shows the move before its task has confirmed the new owner.
  const tasks = await Promise.all((await balancerTasks()).map((t) => k.waitTask(t.id)));
  expect(tasks.map((t) => [t.target?.id, t.status])).toEqual([
    [g.a.id, 'succeeded'],
    [g.b.id, 'succeeded'],
  ]);
  // What ran is the dry run's plan, each task carrying its reason.
  for (const [i, move] of dry.moves.entries())
    expect(tasks[i].steps[0]!.message).toBe(`balancing ${move.reason}; requested: ${move.toHostName}`);
  // Within the thresholds now, and the moved VMs are in their cool-down.
  const now = await plan();
  expect(now).toMatchObject({ withinThresholds: true, moves: [] });
  expect(now.coolingDown.sort()).toEqual([g.a.name, g.b.name].sort());
});

it('lists the VMs that break an affinity group where they are now', async () => {
  expect((await api('GET', `${clusterPath()}/affinity-violations`)).body).toEqual([]);
  const made = await api('POST', `${clusterPath()}/affinity-groups`, {
    name: 'off-h3',
    polarity: 'negative',
    enforcing: true,
    vmIds: [g.a.id, g.c.id],
    hostIds: [k.hostId('h3')],
  });
  expect(made.status).toBe(201);
  const bad = await api('POST', `${clusterPath()}/affinity-groups`, {
    name: 'bad',
    polarity: 'negative',
    enforcing: true,
    vmIds: [],
    hostIds: ['00000000-0000-4000-8000-000000000000'],
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/hostIds.*does not exist/);
  const v = (await api('GET', `${clusterPath()}/affinity-violations`)).body as AffinityViolation[];
  expect(v.map((x) => [x.groupName, x.vmId, x.hostName, x.reason])).toEqual([
    ['off-h3', g.a.id, hostName('h3'), `kept off ${hostName('h3')}, defined there`],
  ]);
  // A hard rule that cannot be met: 409 naming it, nothing moves.
  const m = await api('POST', `/vms/${g.a.id}/migrate`, { targetHostId: k.hostId('h2') });
  expect({ status: m.status, body: JSON.stringify(m.body) }).toEqual({
    status: 409,
    body: expect.stringContaining(`negative affinity group not-h2 keeps its VMs off ${hostName('h2')}`),
  });
  expect(await running()).toEqual({ h1: ['c'], h2: ['b'], h3: ['a'] });
  // The scheduler refuses h2 for a (its placement preview names the rule).
  const d = (await api('GET', `/vms/${g.a.id}/placement`)).body as {
    hosts: { hostName: string; filteredBy: unknown }[];
  };
  expect(d.hosts.find((h) => h.hostName === hostName('h2'))!.filteredBy).toEqual({
    filter: 'affinity',
    reason: `negative affinity group not-h2 keeps its VMs off ${hostName('h2')}`,
  });
});
