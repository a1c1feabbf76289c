import { virsh } from '@kelpie/lab';
import type { Host, MaintenancePlan, Task } from '@kelpie/shared-types';
import { eventually } from '../support/platform';
import { accepted } from '../support/tasks';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';

/** Maintenance as one planned operation in lab `kmt1` (2 hosts, real TCG guests): the plan before
 * anything moves (running VMs → target or reason, stopped VMs apart, never a host in maintenance as
 * target), a VM that cannot move keeps the host preparing with the VM named, "shut it down" completes
 * the maintenance (checked with virsh), and a stopped VM of the host in maintenance starts on the other. */
let L: VmLab;
const ids: Record<string, string> = {};

const api = (method: string, path: string, body?: unknown) => L.p.engine.api(method, `${V1}${path}`, body);
const hostId = (h: string) => L.p.hosts[h].id;
const host = async (h: string) => (await api('GET', `/hosts/${hostId(h)}`)).body as Host;
/** libvirt's state of the VM on a lab host ('undefined' when the host does not define it). */
async function domstate(h: string, id: string): Promise<string> {
  const { code, stdout } = await virsh(L.uri(h), ['domstate', id]);
  return code ? 'undefined' : stdout.trim();
}
/** UUIDs of the domains running on a lab host. */
async function running(h: string): Promise<string[]> {
  const out = (await virsh(L.uri(h), ['list', '--uuid'])).stdout;
  return out.split(/\s+/).filter(Boolean);
}
const task = async (method: string, path: string, body?: unknown) =>
  L.waitTask(await accepted(api(method, path, body)), 180_000);

async function succeeded(method: string, path: string, body?: unknown): Promise<Task> {
  const t = await task(method, path, body);
  expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
  return t;
}

/** A kernel-booted guest defined on h1 (it powers off on ACPI's power button); `disk` gives it a
 * volume on the shared domain, so that it can have a snapshot. */
async function created(name: string, disk = false): Promise<string> {
  const t = await succeeded('POST', '/vms', {
    name,
    clusterId: L.p.clusterId,
    hostId: hostId('h1'),
    vcpus: 1,
    memoryMib: 96,
    boot: { kind: 'kernel', kernel: L.guest.kernel, initrd: L.guest.initrd, cmdline: 'console=ttyS0 quiet' },
    graphicsVnc: false,
    ...(disk ? { disks: [{ sizeGiB: 1, storageDomainId: L.sdId }] } : {}),
  });
  ids[name] = t.target!.id;
  return t.target!.id;
}

beforeAll(async () => {
  L = await startVmLab({ labName: 'kmt1', subnet: 186 });
  await created('kmt1-mover');
  await created('kmt1-pinned', true);
  await created('kmt1-idle');
  await succeeded('POST', `/vms/${ids['kmt1-mover']}/start`);
  await succeeded('POST', `/vms/${ids['kmt1-pinned']}/start`);
  // libvirt cannot live-migrate a domain with snapshots: this VM cannot leave h1 by itself.
  await succeeded('POST', `/vms/${ids['kmt1-pinned']}/snapshots`, { name: 'keep', type: 'external' });
}, 300_000);

afterAll(async () => {
  await api('POST', `/hosts/${hostId('h1')}/activate`).catch(() => undefined);
  for (const id of Object.values(ids)) await api('DELETE', `/vms/${id}?force=true`).catch(() => undefined);
  await L?.close();
});

it('shows the plan first: each running VM with its target or why it cannot move, stopped VMs apart, nothing moved', async () => {
  const res = await api('GET', `/hosts/${hostId('h1')}/maintenance/plan`);
  expect(res.status).toBe(200);
  const plan = res.body as MaintenancePlan;
  const byName = Object.fromEntries(plan.running.map((m) => [m.vmName, m]));
  expect(Object.keys(byName).sort()).toEqual(['kmt1-mover', 'kmt1-pinned']);
  expect(byName['kmt1-mover']).toMatchObject({ targetHostId: hostId('h2'), targetHostName: 'kmt1-h2' });
  expect(byName['kmt1-mover']!.reason).toMatch(/^scheduler chose kmt1-h2/);
  expect(byName['kmt1-pinned']!.targetHostId).toBeNull();
  expect(byName['kmt1-pinned']!.reason).toMatch(/1 snapshot\(s\): libvirt cannot live-migrate/);
  expect(plan.stopped).toEqual([{ vmId: ids['kmt1-idle'], vmName: 'kmt1-idle' }]);
  expect(plan.blocked).toBe(1);
  expect(plan.summary).toMatch(
    /^1 running VM\(s\) live-migrated away from kmt1-h1; 1 running VM\(s\) cannot move.*; 1 stopped VM\(s\)/,
  );
  // A plan changes nothing: the VMs still run on h1 only, the host is still up.
  expect(await running('h2')).toEqual([]);
  expect((await running('h1')).sort()).toEqual([ids['kmt1-mover'], ids['kmt1-pinned']].sort());
  expect((await host('h1')).status).toBe('up');
});

it('never plans a host in maintenance as a target', async () => {
  await L.p.engine.sql(`UPDATE host SET status = 'maintenance' WHERE id = $1`, [hostId('h2')]);
  try {
    const plan = (await api('GET', `/hosts/${hostId('h1')}/maintenance/plan`)).body as MaintenancePlan;
    const mover = plan.running.find((m) => m.vmName === 'kmt1-mover')!;
    expect(mover.targetHostId).toBeNull();
    expect(mover.reason).toMatch(/kmt1-h2: host is in maintenance: it cannot receive VMs/);
    expect(plan.blocked).toBe(2);
  } finally {
    await L.p.engine.sql(`UPDATE host SET status = 'up' WHERE id = $1`, [hostId('h2')]);
  }
});

it('a VM that cannot move keeps the host preparing for maintenance, named with the choices', async () => {
  const t = await task('POST', `/hosts/${hostId('h1')}/maintenance`);
  expect(t.status).toBe('failed');
  expect(t.errorMessage).toMatch(/kmt1-pinned: VM kmt1-pinned has 1 snapshot/);
  const h1 = await host('h1');
  expect(h1.status).toBe('preparing_for_maintenance');
  expect(h1.statusReason).toMatch(/^1 VM\(s\) could not be migrated: kmt1-pinned: /);
  expect(h1.statusReason).toMatch(/choices: shut the VM down or pick a target .*or cancel/);
  // The movable VM went as planned; the pinned one still runs on h1.
  expect(await domstate('h2', ids['kmt1-mover']!)).toBe('running');
  expect(await running('h1')).toEqual([ids['kmt1-pinned']]);
});

it('refuses a bad choice with the field and reason, and changes nothing', async () => {
  const noTarget = await api('POST', `/hosts/${hostId('h1')}/maintenance/resolve`, {
    vmId: ids['kmt1-pinned'],
    choice: 'migrate',
  });
  expect(noTarget.status).toBe(400);
  expect(JSON.stringify(noTarget.body)).toMatch(/targetHostId/);
  const notThere = await api('POST', `/hosts/${hostId('h1')}/maintenance/resolve`, {
    vmId: ids['kmt1-mover'],
    choice: 'shutdown',
  });
  expect(notThere.status).toBe(409);
  expect(JSON.stringify(notThere.body)).toMatch(/"field":"vmId"/);
  // The picked target cannot take a VM with snapshots either: 422 from the migration's own checks.
  const picked = await api('POST', `/hosts/${hostId('h1')}/maintenance/resolve`, {
    vmId: ids['kmt1-pinned'],
    choice: 'migrate',
    targetHostId: hostId('h2'),
  });
  expect(picked.status).toBe(409);
  expect((picked.body as { message: string }).message).toMatch(/snapshot/);
  expect(await domstate('h2', ids['kmt1-mover']!)).toBe('running');
  expect(await running('h1')).toEqual([ids['kmt1-pinned']]);
  expect((await host('h1')).status).toBe('preparing_for_maintenance');
});

it('"shut it down" completes the maintenance: nothing runs on h1 any more', async () => {
  const t = await succeeded('POST', `/hosts/${hostId('h1')}/maintenance/resolve`, {
    vmId: ids['kmt1-pinned'],
    choice: 'shutdown',
    // The guest's ACPI shutdown, powered off after 10 s if it has not stopped (this choice's default).
    timeoutSeconds: 10,
  });
  expect(t.type).toBe('host.maintenance');
  expect((await host('h1')).status).toBe('maintenance');
  expect(await running('h1')).toEqual([]);
  expect(await domstate('h1', ids['kmt1-pinned']!)).toBe('shut off');
  expect(await domstate('h2', ids['kmt1-mover']!)).toBe('running');
});

it('a stopped VM of the host in maintenance starts on the other host: it belongs to its cluster', async () => {
  const t = await succeeded('POST', `/vms/${ids['kmt1-idle']}/start`);
  expect(t.result).toMatchObject({ status: 'up', hostId: hostId('h2') });
  await eventually(
    'idle runs on h2',
    async () => (await domstate('h2', ids['kmt1-idle']!)) === 'running',
    30_000,
    300,
  );
  // The host in maintenance no longer holds a definition that could start it a second time.
  expect(await domstate('h1', ids['kmt1-idle']!)).toBe('undefined');
});
