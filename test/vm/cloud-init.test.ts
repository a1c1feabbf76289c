import { runOrThrow } from '@kelpie/lab';
import type { Task } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { startTestPlatform, TestPlatform } from '../support/platform';
import { apiOk, defineTestVm, domblklist, run202, TestVm } from './support-ks';

/** cloud-init NoCloud seeds built on a real host (lab ks) and attached as a CD-ROM. */
let p: TestPlatform;
let vm: TestVm;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKelpieTestKeyKelpieTestKeyKelpieTestKey01 ops@kelpie';

/** A file of the ISO, read through its Joliet tree. */
const isoFile = (iso: string, name: string) => runOrThrow('isoinfo', ['-i', iso, '-J', '-x', `/${name}`]);

interface SeedResult {
  isoPath: string;
  target: string;
  live: boolean;
  instanceId: string;
}

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'ksi', subnet: 151, hosts: 1 });
  vm = await defineTestVm(p, 'ks-ci1');
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('cloud-init', () => {
  it('builds a cidata ISO from fields on the host and attaches it as a CD-ROM', async () => {
    const t = await run202(p, 'POST', `/api/v1/vms/${vm.id}/cloud-init`, {
      hostname: 'web-1',
      users: [
        { name: 'ops', sshAuthorizedKeys: [KEY], passwordHash: '$6$saltsalt$abcdefghijklmnop', sudo: true },
      ],
      packages: ['qemu-guest-agent', 'nginx'],
      runcmd: ['echo "hello: world" > /etc/motd'],
    });
    const r = t.result as unknown as SeedResult;
    expect(r.isoPath).toBe(`${p.labStatus.sharedDir}/${vm.id}-cidata.iso`);
    expect(existsSync(r.isoPath)).toBe(true);

    const pvd = await runOrThrow('isoinfo', ['-d', '-i', r.isoPath]);
    expect(pvd).toMatch(/Volume id: cidata/);
    const listing = await runOrThrow('isoinfo', ['-i', r.isoPath, '-J', '-f']);
    expect(listing.split('\n').filter(Boolean).sort()).toEqual(['/meta-data', '/user-data']);

    const meta = await isoFile(r.isoPath, 'meta-data');
    expect(meta).toContain(`instance-id: ${r.instanceId}`);
    expect(meta).toContain('local-hostname: web-1');
    const user = await isoFile(r.isoPath, 'user-data');
    expect(user.startsWith('#cloud-config\n')).toBe(true);
    expect(user).toContain(KEY);
    expect(user).toContain('passwd: $6$saltsalt$abcdefghijklmnop');
    expect(user).toContain('- qemu-guest-agent');
    // The command survives YAML quoting intact.
    expect(user).toContain(`'echo "hello: world" > /etc/motd'`);

    const rows = await domblklist(p, vm.id);
    const cd = rows.find((row) => row[1] === 'cdrom');
    expect(cd).toEqual(['file', 'cdrom', r.target, r.isoPath]);
  });

  it('rebuilds the seed from a raw #cloud-config document in the same drive', async () => {
    const doc = '#cloud-config\nhostname: raw-host\nruncmd:\n  - [touch, /tmp/kelpie]\n';
    const t = await run202(p, 'POST', `/api/v1/vms/${vm.id}/cloud-init`, {
      userData: doc,
      instanceId: 'iid-raw-1',
    });
    const r = t.result as unknown as SeedResult;
    expect(await isoFile(r.isoPath, 'user-data')).toBe(doc);
    expect(await isoFile(r.isoPath, 'meta-data')).toContain('instance-id: iid-raw-1');
    expect((await domblklist(p, vm.id)).filter((row) => row[1] === 'cdrom')).toHaveLength(1);
  });

  it('refuses invalid YAML with 400 naming userData, and creates nothing', async () => {
    const tasksBefore = (await apiOk<{ total: number }>(p, 'GET', '/api/v1/tasks?type=vm.cloud_init')).total;
    const other = await defineTestVm(p, 'ks-ci2');
    const cases: unknown[] = [
      { userData: '#cloud-config\nusers: [unclosed\n' },
      { userData: '#cloud-config\na: 1\na: 2\n' },
      { userData: 'users: []\n' },
      { userData: '#cloud-config\n- just\n- a list\n' },
    ];
    for (const body of cases) {
      const res = await p.engine.api('POST', `/api/v1/vms/${other.id}/cloud-init`, body);
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('userData');
    }
    const mixed = await p.engine.api('POST', `/api/v1/vms/${other.id}/cloud-init`, {
      userData: '#cloud-config\n{}\n',
      packages: ['vim'],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.details[0].field).toBe('packages');
    const badKey = await p.engine.api('POST', `/api/v1/vms/${other.id}/cloud-init`, {
      users: [{ name: 'ops', sshAuthorizedKeys: ['not a key\nwith: newline'] }],
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.details[0].field).toMatch(/sshAuthorizedKeys/);

    expect((await apiOk<{ total: number }>(p, 'GET', '/api/v1/tasks?type=vm.cloud_init')).total).toBe(
      tasksBefore,
    );
    expect(existsSync(`${p.labStatus.sharedDir}/${other.id}-cidata.iso`)).toBe(false);
    expect((await domblklist(p, other.id)).filter((row) => row[1] === 'cdrom')).toEqual([]);
  });

  it('refuses a template (409)', async () => {
    await p.engine.sql(`UPDATE vm SET is_template = true WHERE id = $1`, [vm.id]);
    const res = await p.engine.api('POST', `/api/v1/vms/${vm.id}/cloud-init`, { hostname: 'x' });
    expect(res.status).toBe(409);
    expect((res.body as { message: string }).message).toMatch(/template/);
    await p.engine.sql(`UPDATE vm SET is_template = false WHERE id = $1`, [vm.id]);
    const t = (await p.engine.api('GET', '/api/v1/tasks?type=vm.cloud_init')).body as { items: Task[] };
    expect(t.items.every((x) => x.status === 'succeeded')).toBe(true);
  });
});
