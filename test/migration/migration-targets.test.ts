import { testGuest, testGuestDomainXml, virsh, virshOrThrow } from '@kelpie/lab';
import type { Host, MigrationTargets, Vm } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';

/** `GET /vms/{id}/migrate/targets` (lab `kn`, 3 hosts): the pre-checks of a migration, host by host,
 * as the portal's migrate dialog shows them — eligible hosts, and the others with the reason. */
let p: TestPlatform;
let xmlDir: string;
const guests: { host: string; name: string }[] = [];

const uriOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;
const hostId = (h: string) => p.hosts[h].id;
const api = (method: string, path: string, body?: unknown) => p.engine.api(method, path, body);
const targetsOf = async (id: string, query = '') => {
  const res = await api('GET', `/api/v1/vms/${id}/migrate/targets${query}`);
  expect(res.status).toBe(200);
  return res.body as MigrationTargets;
};
const option = (t: MigrationTargets, h: string) => t.targets.find((o) => o.hostId === hostId(h))!;

async function startGuest(h: string, cache = 'none'): Promise<string> {
  const id = randomUUID();
  const name = `kn-${id.slice(0, 6)}`;
  const disk = join(p.labStatus.sharedDir, `${name}.img`);
  await writeFile(disk, '');
  await truncate(disk, 8 * 1024 * 1024);
  const g = await testGuest();
  const xml = testGuestDomainXml({
    name,
    uuid: id,
    memoryMiB: 96,
    vcpus: 1,
    virtType: 'qemu',
    kernel: g.kernel,
    initrd: g.initrd,
    diskPath: disk,
    serialLogPath: join(p.labStatus.sharedDir, `${name}.log`),
  }).replace('cache="none"', `cache="${cache}"`);
  const file = join(xmlDir, `${name}.xml`);
  await writeFile(file, xml);
  await virshOrThrow(uriOf(h), ['define', file]);
  await virshOrThrow(uriOf(h), ['start', name]);
  guests.push({ host: h, name });
  await eventually(
    `${name} up in the engine`,
    async () => {
      const v = (await api('GET', `/api/v1/vms/${id}`)).body as Vm;
      return v?.status === VmStatus.Up && v.hostId === hostId(h);
    },
    20_000,
  );
  return id;
}

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-targets-'));
  p = await startTestPlatform({ labName: 'kn', subnet: 92, hosts: 3 });
  for (const h of ['h1', 'h2', 'h3'])
    await eventually(
      `${h} up with load`,
      async () => {
        const x = (await api('GET', `/api/v1/hosts/${hostId(h)}`)).body as Host;
        return x.status === HostStatus.Up && !!x.load && !!x.capabilities;
      },
      30_000,
    );
}, 180_000);

afterAll(async () => {
  if (p) {
    for (const g of guests) {
      await virsh(uriOf(g.host), ['destroy', g.name]);
      await virsh(uriOf(g.host), ['undefine', g.name]);
    }
    await p.close();
  }
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
});

it('lists the other hosts with their pre-check result, a host in maintenance disabled with the reason', async () => {
  const id = await startGuest('h1');
  let t = await targetsOf(id);
  expect(t.sourceHostId).toBe(hostId('h1'));
  expect(t.vmProblems).toEqual([]);
  expect(t.targets.map((o) => o.hostName).sort()).toEqual(['kn-h2', 'kn-h3']);
  for (const h of ['h2', 'h3']) {
    expect(option(t, h)).toMatchObject({ eligible: true, problems: [], hostStatus: HostStatus.Up });
    expect(option(t, h).freeMemoryMiB).toBeGreaterThan(96);
  }
  expect(t.targets.filter((o) => o.recommended)).toHaveLength(1);
  expect(t.recommendation).toMatch(/scheduler chose kn-h[23]/);

  // h3 in maintenance (it runs nothing, so it gets there at once): shown, disabled, with the reason.
  const m = await api('POST', `/api/v1/hosts/${hostId('h3')}/maintenance`);
  expect(m.status).toBe(202);
  await eventually(
    'h3 in maintenance',
    async () => {
      const x = (await api('GET', `/api/v1/hosts/${hostId('h3')}`)).body as Host;
      return x.status === HostStatus.Maintenance;
    },
    20_000,
  );
  t = await targetsOf(id);
  expect(option(t, 'h3')).toMatchObject({ eligible: false, recommended: false });
  expect(option(t, 'h3').problems.join()).toMatch(/maintenance: it cannot receive VMs/);
  expect(option(t, 'h2')).toMatchObject({ eligible: true, recommended: true });
  // The same answer the migration itself gives for that target.
  const refused = await api('POST', `/api/v1/vms/${id}/migrate`, { targetHostId: hostId('h3') });
  expect(refused.status).toBe(409);
  // Nothing moved: the listing started nothing.
  expect((await virsh(uriOf('h1'), ['domstate', id])).stdout.trim()).toBe('running');
  expect((await virsh(uriOf('h2'), ['domstate', id])).code).not.toBe(0);
  await api('POST', `/api/v1/hosts/${hostId('h3')}/activate`);
});

it('reports VM-level problems (unsafe cache, VM not running) on every host', async () => {
  const id = await startGuest('h2', 'writeback');
  let t = await targetsOf(id);
  expect(t.vmProblems.join()).toMatch(/cache=writeback/);
  expect(t.targets.every((o) => !o.eligible && o.problems.some((x) => /cache=writeback/.test(x)))).toBe(true);
  expect(t.recommendation).toMatch(/^no target/);
  // The policy field that accepts it makes the hosts eligible again (validated: a bad value is a 400).
  t = await targetsOf(id, '?allowUnsafeCache=true');
  expect(t.vmProblems).toEqual([]);
  expect(t.targets.some((o) => o.eligible)).toBe(true);
  const bad = await api('GET', `/api/v1/vms/${id}/migrate/targets?storage=nfs`);
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/storage/);

  await virshOrThrow(uriOf('h2'), ['destroy', id]);
  await eventually(
    'VM down in the engine',
    async () => {
      const v = (await api('GET', `/api/v1/vms/${id}`)).body as Vm;
      return v.status === VmStatus.Down;
    },
    20_000,
  );
  t = await targetsOf(id);
  expect(t.vmProblems.join()).toMatch(/only a running VM can be live-migrated/);
  expect(t.targets.every((o) => !o.eligible)).toBe(true);
  expect((await api('GET', `/api/v1/vms/${randomUUID()}/migrate/targets`)).status).toBe(404);
});
