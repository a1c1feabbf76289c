import { virsh, virshOrThrow } from '@kelpie/lab';
import type { AffinityGroup, SchedulingDecision, Task } from '@kelpie/shared-types';
import { eventually } from '../support/platform';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';

/** The one scheduler in lab `ksd1` (2 hosts, real TCG guests): the cluster policy and CPU model,
 * an enforcing negative affinity group, the placement preview with its explanations, the memory
 * filter naming each host's reason. */
let L: VmLab;
let clusterId: string;
const ids: Record<string, string> = {};

const api = (method: string, path: string, body?: unknown) => L.p.engine.api(method, `${V1}${path}`, body);
const hostName = (h: string) => `ksd1-${h}`;
const hostId = (h: string) => L.p.hosts[h].id;
const setCluster = async (patch: Record<string, unknown>) => {
  const res = await api('PATCH', `/clusters/${clusterId}`, patch);
  expect(res.status).toBe(200);
};
const verdict = (d: SchedulingDecision, h: string) => d.hosts.find((v) => v.hostName === hostName(h))!;
const domstate = async (h: string, id: string) => {
  const r = await virsh(L.uri(h), ['domstate', id]);
  return r.code === 0 ? r.stdout.trim() : 'undefined';
};

async function task(method: string, path: string, body?: unknown): Promise<Task> {
  const res = await api(method, path, body);
  if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return L.waitTask(res.body as Task);
}

async function createVm(name: string, memoryMib = 96, more: Record<string, unknown> = {}): Promise<Task> {
  return task('POST', '/vms', {
    ...more,
    name,
    clusterId,
    vcpus: 1,
    memoryMib,
    boot: { kind: 'kernel', kernel: L.guest.kernel, initrd: L.guest.initrd, cmdline: 'console=ttyS0 quiet' },
    graphicsVnc: false,
  });
}

beforeAll(async () => {
  L = await startVmLab({ labName: 'ksd1', subnet: 165 });
  clusterId = L.p.clusterId;
}, 240_000);

afterAll(async () => {
  for (const id of Object.values(ids)) await api('DELETE', `/vms/${id}?force=true`).catch(() => undefined);
  await L?.close();
});

it('refuses a CPU model that is not a libvirt model name (400, nothing written)', async () => {
  const res = await api('PATCH', `/clusters/${clusterId}`, { cpuModel: 'Sky<lake' });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toMatch(/cpuModel/);
  expect(
    ((await api('GET', `/clusters/${clusterId}`)).body as { cpuModel: string | null }).cpuModel,
  ).toBeNull();
});

it('policy none stacks VMs on the first host; the cluster CPU model reaches the domain XML', async () => {
  await setCluster({ schedulingPolicy: 'none', cpuModel: 'qemu64' });
  for (const n of ['a', 'b']) {
    const t = await createVm(`ksd1-${n}`);
    expect(t.status).toBe('succeeded');
    ids[n] = t.target!.id;
    expect(t.result).toMatchObject({ hostId: hostId('h1') });
    expect((t.result as { placement: string }).placement).toMatch(
      /^ksd1-h1: first fitting host by name \(policy none\)/,
    );
  }
  const xml = await virshOrThrow(L.uri('h1'), ['dumpxml', '--inactive', ids.a]);
  expect(xml).toMatch(
    /<cpu mode='custom' match='exact' check='none'>\s*<model fallback='forbid'>qemu64<\/model>/,
  );
});

it('explains the placement host by host: the affinity filter with the rule and VM named, scores per weight', async () => {
  await setCluster({ schedulingPolicy: 'evenly_distributed' });
  const bad = await api('POST', `/clusters/${clusterId}/affinity-groups`, {
    name: 'apart',
    polarity: 'negative',
    enforcing: true,
    vmIds: [ids.a, '00000000-0000-4000-8000-000000000000'],
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/vmIds.*does not exist/);
  expect((await api('GET', `/clusters/${clusterId}/affinity-groups`)).body).toEqual([]);

  // Created empty, as an admin does (no vmIds at all), and filled afterwards.
  const empty = await api('POST', `/clusters/${clusterId}/affinity-groups`, {
    name: 'apart',
    polarity: 'negative',
    enforcing: true,
  });
  expect(empty.status).toBe(201);
  const groupId = (empty.body as AffinityGroup).id;
  expect(empty.body as AffinityGroup).toMatchObject({ name: 'apart', vmIds: [], hostIds: [] });
  expect((await api('GET', `/clusters/${clusterId}/affinity-groups/${groupId}`)).body).toMatchObject({
    vmIds: [],
    hostIds: [],
  });
  const res = await api('PATCH', `/clusters/${clusterId}/affinity-groups/${groupId}`, {
    vmIds: [ids.a, ids.b],
  });
  expect(res.status).toBe(200);
  expect(res.body as AffinityGroup).toMatchObject({ name: 'apart', vmIds: [ids.a, ids.b].sort() });

  const d = (await api('GET', `/vms/${ids.b}/placement`)).body as SchedulingDecision;
  expect(d).toMatchObject({ policy: 'evenly_distributed', hostId: hostId('h2'), hostName: hostName('h2') });
  expect(verdict(d, 'h1').filteredBy).toEqual({
    filter: 'affinity',
    reason: 'negative affinity group apart: ksd1-a is defined here',
  });
  const h2 = verdict(d, 'h2');
  expect(h2).toMatchObject({ filteredBy: null, chosen: true });
  expect(h2.scores.map((s) => s.weight)).toEqual(['memory-spread', 'vm-count-spread', 'affinity']);
  expect(h2.scores[1]).toMatchObject({ score: 100, why: '0 VM(s)' });
  expect(h2.total).toBe(h2.scores.reduce((n, s) => n + s.factor * s.score, 0));
  expect(d.summary).toMatch(
    /^ksd1-h2: least committed memory \(0 MiB, 0 VM\(s\)\) \(the only fitting host\)/,
  );
});

it('negative affinity: started, the two VMs run on different hosts (virsh)', async () => {
  // a is defined on h1 next to b: the enforcing group moves it off before it starts.
  const ta = await task('POST', `/vms/${ids.a}/start`);
  expect(ta.status).toBe('succeeded');
  expect(ta.result).toMatchObject({ hostId: hostId('h2') });
  const tb = await task('POST', `/vms/${ids.b}/start`);
  expect(tb.status).toBe('succeeded');
  expect(tb.result).toMatchObject({ hostId: hostId('h1') });
  expect(await domstate('h2', ids.a)).toBe('running');
  expect(await domstate('h1', ids.b)).toBe('running');
  expect(await domstate('h1', ids.a)).toBe('undefined');
  expect(await domstate('h2', ids.b)).toBe('undefined');
  // Running: the preview of b is a migration's, and the only other host holds a.
  const d = (await api('GET', `/vms/${ids.b}/placement`)).body as SchedulingDecision;
  expect(d.hostId).toBeNull();
  expect(verdict(d, 'h2').filteredBy).toMatchObject({ filter: 'affinity' });
  // Right after the start, the migration's check may still see the start task's verification (409).
  const m = await eventually(
    'the migrate answer once the start has settled',
    async () => {
      const r = await api('POST', `/vms/${ids.b}/migrate`, {});
      return r.status === 409 && JSON.stringify(r.body).includes('vm.start') ? undefined : r;
    },
    20_000,
    500,
  );
  expect({ status: m.status, body: JSON.stringify(m.body) }).toEqual({
    status: 409,
    body: expect.stringMatching(/negative affinity group apart: ksd1-a is defined here/),
  });
  expect(await domstate('h1', ids.b)).toBe('running');
});

it('a VM created into affinity groups: 400 for an unknown group, 409 when none leaves a host, its first start keeps the rule (virsh)', async () => {
  const count = async () => ((await api('GET', '/vms')).body as { total: number }).total;
  const before = await count();
  const unknown = '00000000-0000-4000-8000-000000000000';
  const bad = await api('POST', '/vms', {
    name: 'ksd1-c',
    clusterId,
    memoryMib: 64,
    affinityGroupIds: [unknown],
  });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({
    details: [{ field: 'affinityGroupIds', reason: `affinity group ${unknown} does not exist` }],
  });
  // "apart" holds a (on h2) and b (on h1): a third member would have no host.
  const groups = (await api('GET', `/clusters/${clusterId}/affinity-groups`)).body as AffinityGroup[];
  const apart = groups.find((g) => g.name === 'apart')!;
  const full = await api('POST', '/vms', {
    name: 'ksd1-c',
    clusterId,
    memoryMib: 64,
    affinityGroupIds: [apart.id],
  });
  expect({ status: full.status, body: JSON.stringify(full.body) }).toEqual({
    status: 409,
    body: expect.stringMatching(
      /no host can run VM ksd1-c without breaking an enforcing affinity group: .*apart/,
    ),
  });
  expect(await count()).toBe(before);

  // Kept next to a (on h2) from the create's placement and through its first start.
  const near = await api('POST', `/clusters/${clusterId}/affinity-groups`, {
    name: 'near-a',
    polarity: 'positive',
    enforcing: true,
    vmIds: [ids.a],
  });
  expect(near.status).toBe(201);
  const nearId = (near.body as AffinityGroup).id;
  try {
    const t = await createVm('ksd1-c', 64, { affinityGroupIds: [nearId] });
    expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
    ids.c = t.target!.id;
    expect(t.result).toMatchObject({ hostId: hostId('h2') });
    expect(
      ((await api('GET', `/clusters/${clusterId}/affinity-groups/${nearId}`)).body as AffinityGroup).vmIds,
    ).toEqual([ids.a, ids.c].sort());
    const start = await task('POST', `/vms/${ids.c}/start`);
    expect(start.status).toBe('succeeded');
    expect(await domstate('h2', ids.c)).toBe('running');
    expect(await domstate('h1', ids.c)).toBe('undefined');
    expect((await task('POST', `/vms/${ids.c}/poweroff`)).status).toBe('succeeded');
  } finally {
    expect((await api('DELETE', `/clusters/${clusterId}/affinity-groups/${nearId}`)).status).toBe(204);
  }
});

it('the memory filter refuses an oversized VM naming each host and its figures', async () => {
  const d = (await api('POST', `/vms/${ids.b}/placement`, { memoryMib: 4_000_000 }))
    .body as SchedulingDecision;
  expect(d.hostId).toBeNull();
  expect(verdict(d, 'h2').filteredBy!.filter).toBe('memory');
  expect(verdict(d, 'h2').filteredBy!.reason).toMatch(/^needs 4000000 MiB, only \d+ MiB uncommitted/);
  const t = await createVm('ksd1-big', 4_000_000);
  expect(t).toMatchObject({ status: 'failed', errorCode: 'unprocessable' });
  for (const h of ['h1', 'h2'])
    expect(t.errorMessage).toMatch(
      new RegExp(
        `${hostName(h)}: needs 4000000 MiB, only \\d+ MiB uncommitted \\(\\d+ MiB − \\d+ MiB committed − 256 MiB reserve\\)`,
      ),
    );
  // The failed create leaves no record and nothing on a host.
  expect((await api('GET', `/vms/${t.target!.id}`)).status).toBe(404);
  for (const h of ['h1', 'h2']) expect(await domstate(h, t.target!.id)).toBe('undefined');
});

it('filters out hosts that cannot run the cluster CPU model (Skylake-Server under TCG)', async () => {
  await setCluster({ cpuModel: 'Skylake-Server' });
  try {
    const d = (await api('GET', `/vms/${ids.a}/placement`)).body as SchedulingDecision;
    expect(verdict(d, 'h1').filteredBy).toMatchObject({ filter: 'cpu-model' });
    expect(verdict(d, 'h1').filteredBy!.reason).toMatch(
      /^CPU model Skylake-Server is not usable on this host \(tcg; lacks [a-z0-9_., -]+( and \d+ more)?; usable: .*qemu64/,
    );
  } finally {
    await setCluster({ cpuModel: 'qemu64' });
  }
});
