import { virshOrThrow } from '@kelpie/lab';
import type {
  AffinityGroup,
  AffinityViolation,
  BalancePlan,
  Cluster,
  Page,
  Task,
} from '@kelpie/shared-types';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationKit, StartedGuest } from '../migration/migration-kit';
import { eventually } from '../support/platform';

/** Periodic balancing in lab `kbl1` (3 hosts, real TCG guests): the thresholds' validation, the
 * vm_count policy spreading VMs started on one host (virsh per host), each move a `vm.migrate` task
 * with its reason, the dry-run plan matching what ran, an enforcing negative VM↔host group kept by
 * balancing, and the affinity violations view; the evenly distributed policy spreading by committed
 * memory and power saving packing VMs, naming the hosts that can be powered down. Short interval and
 * batch via the engine's env. The lab hosts share one kernel, so the machine's load average would be
 * every host's (and, on a busy machine, over any CPU threshold): each agent reads a low load from a file. */
let k: MigrationKit;
let loadDir: string;
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
  loadDir = await mkdtemp(join(tmpdir(), 'kelpie-kbl1-load-'));
  await writeFile(join(loadDir, 'loadavg'), '0.10 0.10 0.10 1/100 1\n');
  k = await MigrationKit.start({
    labName: 'kbl1',
    subnet: 183,
    hosts: 3,
    engineEnv: {
      KELPIE_BALANCE_INTERVAL_MS: '2000',
      KELPIE_BALANCE_BATCH: '2',
      KELPIE_BALANCE_COOLDOWN_MS: '600000',
    },
    agentEnv: { KELPIE_LOADAVG_FILE: join(loadDir, 'loadavg') },
  });
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
  if (loadDir) await rm(loadDir, { recursive: true, force: true });
});

/** Balancing off, every guest so far deleted (libvirt no longer runs it) and no affinity group left. */
async function reset(): Promise<void> {
  await patch({ balancingEnabled: false });
  const names = Object.keys(g);
  const deletes = await Promise.all(names.map((n) => api('DELETE', `/vms/${g[n].id}?force=true`)));
  expect(deletes.map((d) => d.status)).toEqual(names.map(() => 202));
  const done = await Promise.all(deletes.map((d) => k.waitTask((d.body as Task).id)));
  expect(done.map((t) => t.status)).toEqual(names.map(() => 'succeeded'));
  for (const n of names) delete g[n];
  const groups = (await api('GET', `${clusterPath()}/affinity-groups`)).body as AffinityGroup[];
  for (const x of groups)
    expect((await api('DELETE', `${clusterPath()}/affinity-groups/${x.id}`)).status).toBe(204);
  for (const h of ['h1', 'h2', 'h3'])
    expect(await virshOrThrow(k.uriOf(h), ['list', '--name', '--all'])).toMatch(/^\s*$/);
}
/** Starts the named guests on `h`, all at once (each start under TCG takes its seconds). */
async function start(h: string, names: string[], memoryMiB: number): Promise<void> {
  const started = await Promise.all(names.map((n) => k.startGuest(h, `kbl1-${n}`, { memoryMiB })));
  names.forEach((n, i) => (g[n] = started[i]!));
}
/** The balancer's tasks that moved these guests, once each has ended. */
const movesOf = async (names: string[]) => {
  const ids = new Set(names.map((n) => g[n].id));
  const mine = (await balancerTasks()).filter((t) => ids.has(t.target?.id ?? ''));
  return Promise.all(mine.map((t) => k.waitTask(t.id)));
};
/** The first tasks are the dry run's moves, each carrying its reason. */
function ranAsPlanned(dry: BalancePlan, tasks: Task[]): void {
  for (const [i, move] of dry.moves.entries()) {
    expect(tasks[i]!.target?.id).toBe(move.vmId);
    expect(tasks[i]!.steps[0]!.message).toBe(`balancing ${move.reason}; requested: ${move.toHostName}`);
  }
}
/** The host's memory as the scheduler sees it (its capabilities). */
const hostMemoryMib = async () => Math.floor((await k.host('h1')).capabilities!.memoryKiB / 1024);

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
  ranAsPlanned(dry, tasks);
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

it('evenly distributed balancing spreads VMs by committed memory from the host over its high watermark; the dry run matches', async () => {
  await reset();
  // Committed memory is compared in whole percent of the host's memory: each guest is about 2% of it
  // (128 MiB guests are below 1% of a lab host here: 1 and 2 of them would be the same percent).
  const hostMib = await hostMemoryMib();
  const vmMib = Math.max(128, Math.ceil(hostMib / 48 / 64) * 64);
  const pctOf = (n: number) => Math.round((100 * n * vmMib) / hostMib);
  // Two guests are within the high watermark, three over; a host with one guest takes one more.
  const high = pctOf(2);
  const low = pctOf(1) + 1;
  expect([pctOf(3) > high, low < high]).toEqual([true, true]);
  const names = ['d', 'e', 'f', 'i', 'j', 'l'];
  await start('h1', names, vmMib);
  await patch({
    schedulingPolicy: 'evenly_distributed',
    schedulingThresholds: { evenly: { memoryHighPercent: high, memoryLowPercent: low } },
  });

  const why = `evenly distributed: kbl1-h1 is over its high watermark (committed memory ${pctOf(6)}% > ${high}%)`;
  const dry = await plan();
  expect(dry).toMatchObject({
    policy: 'evenly_distributed',
    balancingEnabled: false,
    withinThresholds: false,
  });
  expect(dry.hosts.map((h) => [h.hostName, h.runningVms, h.memoryPercent, h.state])).toEqual([
    [hostName('h1'), 6, pctOf(6), 'over'],
    [hostName('h2'), 0, 0, 'under'],
    [hostName('h3'), 0, 0, 'under'],
  ]);
  // One batch of two, biggest first then by name: d to the emptiest host, e to the other one.
  expect(dry.moves.map((m) => [m.vmId, m.fromHostName, m.toHostName])).toEqual([
    [g.d.id, hostName('h1'), hostName('h2')],
    [g.e.id, hostName('h1'), hostName('h3')],
  ]);
  const first = `${why}; to ${hostName('h2')}`;
  expect(dry.moves[0].reason.slice(0, first.length)).toBe(first);
  expect(dry.summary).toBe(`2 move(s): ${why}; more moves follow in later runs`);
  expect(await running()).toEqual({ h1: names, h2: [], h3: [] });

  await patch({ balancingEnabled: true });
  const spread = await eventually(
    'the VMs spread two per host by the balancer',
    async () => {
      const r = await running();
      return r.h1.length === 2 && r.h2.length === 2 && r.h3.length === 2 ? r : undefined;
    },
    180_000,
    1000,
  ).catch(async (e: Error) => {
    const tasks = (await movesOf(names)).map((t) => [t.status, t.steps]);
    throw new Error(
      `${e.message}\n${JSON.stringify({ running: await running(), plan: await plan(), tasks })}`,
    );
  });
  await patch({ balancingEnabled: false });
  expect(spread.h2).toContain('d');
  expect(spread.h3).toContain('e');

  // Four moves, each a vm.migrate task of the balancer; the first two ran as the dry run planned them.
  const tasks = await movesOf(names);
  expect(tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  ranAsPlanned(dry, tasks);
  // Each later move says what h1 had when it was planned: four VMs, then three.
  for (const [t, left] of [
    [tasks[2]!, 4],
    [tasks[3]!, 3],
  ] as const) {
    const prefix = `balancing evenly distributed: kbl1-h1 is over its high watermark (committed memory ${pctOf(left)}% > ${high}%); to `;
    expect(t.steps[0]!.message?.slice(0, prefix.length)).toBe(prefix);
  }
  const now = await plan();
  expect(now).toMatchObject({ withinThresholds: true, moves: [] });
  expect(now.hosts.map((h) => [h.runningVms, h.memoryPercent])).toEqual([
    [2, pctOf(2)],
    [2, pctOf(2)],
    [2, pctOf(2)],
  ]);
});

it('power saving packs VMs spread one per host onto one, reporting the hosts that can be powered down', async () => {
  await reset();
  await Promise.all([start('h1', ['p'], 128), start('h2', ['q'], 128), start('h3', ['r'], 128)]);
  await patch({
    schedulingPolicy: 'power_saving',
    schedulingThresholds: { powerSaving: { lowUtilizationPercent: 20, highUtilizationPercent: 80 } },
  });

  const dry = await plan();
  expect(dry).toMatchObject({ policy: 'power_saving', balancingEnabled: false, withinThresholds: false });
  expect(dry.hosts.map((h) => [h.hostName, h.runningVms, h.state])).toEqual([
    [hostName('h1'), 1, 'under'],
    [hostName('h2'), 1, 'under'],
    [hostName('h3'), 1, 'under'],
  ]);
  // The last host by name is emptied first, onto a busier one; then the next.
  expect(dry.moves.map((m) => [m.vmId, m.fromHostName, m.toHostName])).toEqual([
    [g.r.id, hostName('h3'), hostName('h1')],
    [g.q.id, hostName('h2'), hostName('h1')],
  ]);
  expect(dry.moves[0].reason).toMatch(
    /^power saving: kbl1-h3 is under its low utilisation \(\d+% < 20%\), emptied so it can be powered down; to kbl1-h1/,
  );
  // The hosts the batch leaves empty.
  expect(dry.powerDownCandidates).toEqual([
    { hostId: k.hostId('h2'), hostName: hostName('h2') },
    { hostId: k.hostId('h3'), hostName: hostName('h3') },
  ]);
  expect(await running()).toEqual({ h1: ['p'], h2: ['q'], h3: ['r'] });

  await patch({ balancingEnabled: true });
  await eventually(
    'the VMs packed on h1 by the balancer',
    async () => ((await running()).h1.length === 3 ? true : undefined),
    120_000,
    1000,
  );
  await patch({ balancingEnabled: false });
  expect(await running()).toEqual({ h1: ['p', 'q', 'r'], h2: [], h3: [] });
  const tasks = await movesOf(['p', 'q', 'r']);
  expect(tasks.map((t) => [t.target?.id, t.status])).toEqual([
    [g.r.id, 'succeeded'],
    [g.q.id, 'succeeded'],
  ]);
  ranAsPlanned(dry, tasks);
  // Packed: nothing more to move, and the empty hosts are the ones to power down.
  const now = await plan();
  expect(now).toMatchObject({ withinThresholds: true, moves: [] });
  expect(now.summary).toBe("every host is within the power saving policy's thresholds");
  expect(now.powerDownCandidates.map((h) => h.hostName)).toEqual([hostName('h2'), hostName('h3')]);
  expect(now.hosts.map((h) => [h.hostName, h.runningVms])).toEqual([
    [hostName('h1'), 3],
    [hostName('h2'), 0],
    [hostName('h3'), 0],
  ]);
});
