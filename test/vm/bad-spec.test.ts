/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { randomUUID } from 'node:crypto';
import { Task } from '@kelpie/shared-types';
import { startVmLab, V1, VmLab } from './lifecycle-support';

/** Bad VM specs are refused before anything reaches a host; nothing is defined anywhere. */
let L: VmLab;
let otherNetworkId: string;

const api = (method: string, path: string, body?: unknown) => L.p.engine.api(method, `${V1}${path}`, body);
const spec = (over: Record<string, unknown> = {}) => ({
  name: 'kv-bad',
  clusterId: L.p.clusterId,
  memoryMib: 128,
  disks: [{ sizeGiB: 1, storageDomainId: L.sdId }],
  nics: [{ networkId: L.networkId }],
  boot: { kind: 'kernel', kernel: L.guest.kernel, initrd: L.guest.initrd, cmdline: 'console=ttyS0' },
  ...over,
});

beforeAll(async () => {
  L = await startVmLab({ labName: 'kvb', subnet: 153 });
  // A VM network of the datacenter that is not attached to the cluster.
  otherNetworkId = (
    await api('POST', '/networks', { name: 'unattached', datacenterId: L.p.datacenterId, bridge: 'br9' })
  ).body.id;
}, 180_000);

afterAll(async () => {
  await L?.close();
});

describe('bad VM specs', () => {
  const cases: [string, () => Record<string, unknown>, number, string, RegExp][] = [
    ['an XML-looking name', () => spec({ name: '<x>' }), 400, 'name', /letters, digits/],
    ['an XML-looking name with quotes', () => spec({ name: "a'/><devices" }), 400, 'name', /letters/],
    ['zero memory', () => spec({ memoryMib: 0 }), 400, 'memoryMib', /not be less than 16/],
    ['huge memory', () => spec({ memoryMib: 5_000_000 }), 400, 'memoryMib', /not be greater than/],
    [
      'zero disk size',
      () => spec({ disks: [{ sizeGiB: 0, storageDomainId: L.sdId }] }),
      400,
      'disks.0.sizeGiB',
      /./,
    ],
    [
      'an unknown network',
      () => spec({ nics: [{ networkId: randomUUID() }] }),
      404,
      'nics[0].networkId',
      /does not exist/,
    ],
    [
      'a network not attached to the cluster',
      () => spec({ nics: [{ networkId: otherNetworkId }] }),
      400,
      'nics[0].networkId',
      /not attached to cluster/,
    ],
    [
      'a missing storage domain',
      () => spec({ disks: [{ sizeGiB: 1, storageDomainId: randomUUID() }] }),
      404,
      'disks[0].storageDomainId',
      /does not exist/,
    ],
    ['an unknown host', () => spec({ hostId: randomUUID() }), 404, 'hostId', /does not exist/],
    ['an unknown cluster', () => spec({ clusterId: randomUUID() }), 404, 'clusterId', /does not exist/],
    [
      'a kernel path escaping with ..',
      () => spec({ boot: { kind: 'kernel', kernel: '/var/../etc/shadow' } }),
      400,
      'boot.kernel',
      /\.\./,
    ],
    [
      'markup in the kernel command line',
      () => spec({ boot: { kind: 'kernel', kernel: L.guest.kernel, cmdline: 'a</cmdline><x>' } }),
      400,
      'boot.cmdline',
      /</,
    ],
    [
      'an ISO outside every storage domain',
      () => spec({ boot: { kind: 'cdrom', isoPath: '/etc/passwd' } }),
      400,
      'boot.isoPath',
      /storage domain/,
    ],
    ['a CD-ROM boot without an ISO', () => spec({ boot: { kind: 'cdrom' } }), 400, 'boot.isoPath', /./],
    [
      'an unknown field in a disk',
      () => spec({ disks: [{ sizeGiB: 1, storageDomainId: L.sdId, path: '/x' }] }),
      400,
      'disks.0.path',
      /./,
    ],
    [
      'a bad MAC',
      () => spec({ nics: [{ networkId: L.networkId, mac: '52:54:00:zz:00:01' }] }),
      400,
      'nics.0.mac',
      /hex/,
    ],
  ];

  it.each(cases)('refuses %s and defines nothing', async (_what, body, status, field, reason) => {
    const domains = await L.domainsEverywhere();
    const jobs = { h1: await L.queuedJobs('h1'), h2: await L.queuedJobs('h2') };
    const vms = (await api('GET', '/vms')).body.total;
    const res = await api('POST', '/vms', body());
    expect({ status: res.status, fields: res.body.details?.map((d: any) => d.field) }).toEqual({
      status,
      fields: expect.arrayContaining([field]),
    });
    const detail = res.body.details.find((d: any) => d.field === field);
    expect(detail.reason).toMatch(reason);
    expect(await L.domainsEverywhere()).toEqual(domains);
    expect({ h1: await L.queuedJobs('h1'), h2: await L.queuedJobs('h2') }).toEqual(jobs);
    expect((await api('GET', '/vms')).body.total).toBe(vms);
    expect((await api('GET', '/disks')).body.total).toBe(0);
  });

  it('a VM no host can hold: the task fails with the reason per host, nothing is defined or kept', async () => {
    const domains = await L.domainsEverywhere();
    const res = await api('POST', '/vms', spec({ name: 'kv-too-big', memoryMib: 2_000_000 }));
    expect(res.status).toBe(202);
    const task: Task = await L.waitTask(res.body);
    expect(task.status).toBe('failed');
    expect(task.errorCode).toBe('unprocessable');
    expect(task.errorMessage).toMatch(
      /^no host fits VM kv-too-big \(kvb-h1: needs 2000000 MiB, only \d+ MiB uncommitted.*; kvb-h2: needs 2000000 MiB/,
    );
    expect(task.steps).toEqual([expect.objectContaining({ name: 'schedule', status: 'failed' })]);
    expect((await api('GET', `/vms/${task.target!.id}`)).status).toBe(404);
    expect((await api('GET', '/disks')).body.total).toBe(0);
    expect(await L.domainsEverywhere()).toEqual(domains);
  });

  it('a host that is not up cannot be chosen (409 naming it)', async () => {
    await L.p.engine.sql(`UPDATE host SET status = 'maintenance' WHERE id = $1`, [L.p.hosts.h1.id]);
    try {
      const res = await api('POST', '/vms', spec({ hostId: L.p.hosts.h1.id }));
      expect(res.status).toBe(409);
      expect(res.body.details[0]).toMatchObject({ field: 'hostId', reason: 'host is in maintenance' });
    } finally {
      await L.p.engine.sql(`UPDATE host SET status = 'up' WHERE id = $1`, [L.p.hosts.h1.id]);
    }
  });

  it('a duplicate name is a 409 before any host work', async () => {
    const first = await api('POST', '/vms', { name: 'kv-dup', clusterId: L.p.clusterId });
    expect(first.status).toBe(201);
    const domains = await L.domainsEverywhere();
    const res = await api('POST', '/vms', spec({ name: 'kv-dup' }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(await L.domainsEverywhere()).toEqual(domains);
    expect((await api('GET', '/disks')).body.total).toBe(0);
  });
});
