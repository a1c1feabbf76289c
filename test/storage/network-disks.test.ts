import { CephStatus, runOrThrow, virsh, virshOrThrow } from '@kelpie/lab';
import { Disk, StorageDomain, Task } from '@kelpie/shared-types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/platform';
import { TgtTarget } from '../support/tgt';
import {
  expectDomainRefused,
  expectMaintenanceRemovesPool,
  expectPrivateSecret,
  expectSealed,
  lunHeartbeat as lunHeartbeat0,
  testVmBody,
} from './network-storage-kit';
import { startVmLab, VmLab } from '../vm/lifecycle-support';
import { labApi } from './lab-api';

/**
 * Disks that are no files (lab kcp1, 2 hosts). Ceph RBD storage domains against a real single-node
 * Ceph cluster from Debian's packages (one mon, one mgr, one bluestore OSD on a sparse file) in the
 * root namespace on the lab bridge address: libvirt rbd pools on both hosts, new disks as RBD images,
 * a VM booted from one that live-migrates as on shared storage; the cephx key never stored or sent
 * around in clear. And disks on LUNs of an iscsi domain (Debian's tgtd, libvirt's iscsi-direct pool):
 * a new disk takes a free LUN of sufficient size, which is released, not wiped, with the disk.
 */
const GIB = 1024 ** 3;
const IQN = 'iqn.2026-12.org.kelpie.test:kcp1';
let lab: VmLab;
let ceph: CephStatus;
let tgt: TgtTarget;
let sd: StorageDomain;
const pool = () => `kelpie-${sd.id}`;
const { api, get, succeeded, task } = labApi(() => lab);
const cephCluster = () => lab.p.lab.ceph();
const rbdDomain = (name: string, key: string) => ({
  name,
  datacenterId: lab.p.datacenterId,
  type: 'rbd',
  connection: { monitors: [ceph.monitor], pool: ceph.pool, user: ceph.user, key },
});

/** The first bytes of an RBD image (its first RADOS object): the test guest writes its heartbeat to sector 0. */
async function imageHead(image: string): Promise<string> {
  const info = JSON.parse(await cephCluster().rbd(['info', '--format', 'json', `${ceph.pool}/${image}`])) as {
    block_name_prefix: string;
  };
  const out = join(lab.p.labStatus.sharedDir, 'kcp1-head.bin');
  await runOrThrow('rados', [
    '--conf',
    ceph.conf,
    '--keyring',
    join(ceph.conf, '..', 'admin.keyring'),
    '-p',
    ceph.pool,
    'get',
    `${info.block_name_prefix}.0000000000000000`,
    out,
  ]);
  return readFileSync(out).subarray(0, 64).toString('latin1');
}
const heartbeat = async (image: string) =>
  Number(/KELPIE-HEARTBEAT (\d+)/.exec(await imageHead(image).catch(() => ''))?.[1] ?? -1);

beforeAll(async () => {
  lab = await startVmLab({ labName: 'kcp1', subnet: 182 });
  const started = Date.now();
  ceph = await cephCluster().up();
  tgt = new TgtTarget({
    address: lab.p.labStatus.bridgeIp,
    controlPort: 182,
    iqn: IQN,
    // libvirt's iscsi-direct pool reports a LUN one block short of its size: 1 GiB LUNs would hold
    // no 1 GiB disk. LUN 2 is the smallest that holds one.
    lunBytes: [3 * GIB, 2 * GIB],
    dir: join(lab.p.labStatus.sharedDir, 'kcp1-tgt'),
  });
  await tgt.start();
  console.log(
    `Ceph: mon ${ceph.monitor}, pool ${ceph.pool} up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 240_000);

afterAll(async () => {
  await tgt?.remove();
  await lab?.close();
});

describe('creating an rbd domain', () => {
  it.each([
    ['no monitors', { pool: 'p', user: 'u', key: 'AQBm7F1nAAAAABAAZ2V0LXRoZS1rZXk=' }, 'connection.monitors'],
    ['no key', { monitors: ['10.182.0.1'], pool: 'p', user: 'u' }, 'connection.key'],
    [
      'a key that is no base64',
      { monitors: ['10.182.0.1'], pool: 'p', user: 'u', key: 'not a key!' },
      'connection.key',
    ],
  ])('with %s is a 400 naming the field, nothing written', (_what, connection, field) =>
    expectDomainRefused(lab, 'rbd', connection, field),
  );
});

describe('an rbd domain', () => {
  let vmId: string;
  let disk: Disk;
  const image = () => disk.volumePath.slice(disk.volumePath.lastIndexOf('/') + 1);

  it('is stored without its key in clear, in the database or the API', async () => {
    const created = await api('POST', '/storage-domains', rbdDomain('ceph1', ceph.key));
    expect(created.status).toBe(201);
    sd = created.body as StorageDomain;
    expect(JSON.stringify(created.body)).not.toContain(ceph.key);
    expect(sd.connection).toEqual({ monitors: [ceph.monitor], pool: ceph.pool, user: ceph.user });
    expect(sd.path).toBe(`rbd://${ceph.monitor}/${ceph.pool}`);
    await expectSealed(lab, sd.id, ceph.key);
  });

  it('takes no disk before it is active (409 naming it)', async () => {
    const res = await api('POST', '/disks', {
      name: 'early',
      storageDomainId: sd.id,
      virtualSizeBytes: 64 * 1024 ** 2,
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('ceph1');
  });

  it('is activated on both hosts: a running rbd pool, its key a private libvirt secret', async () => {
    await succeeded('POST', `/storage-domains/${sd.id}/attach`);
    const t = await succeeded('POST', `/storage-domains/${sd.id}/activate`);
    expect(t.steps.map((s) => [s.name, s.status])).toEqual([
      ['host kcp1-h1', 'done'],
      ['host kcp1-h2', 'done'],
    ]);
    for (const h of ['h1', 'h2']) {
      const info = await virshOrThrow(lab.uri(h), ['pool-info', '--pool', pool()]);
      expect(info).toMatch(/State:\s+running/);
      const xml = await virshOrThrow(lab.uri(h), ['pool-dumpxml', pool()]);
      expect(xml).toContain("<pool type='rbd'>");
      expect(xml).toContain(`<name>${ceph.pool}</name>`);
      expect(xml).not.toContain(ceph.key);
      await expectPrivateSecret(lab, h, 'ceph', pool());
      expect(readFileSync(join(lab.p.lab.host(h).dir, 'agent.log'), 'utf8')).not.toContain(ceph.key);
    }
    expect((await get<StorageDomain>(`/storage-domains/${sd.id}`)).status).toBe('active');
  });

  it('refuses a qcow2 disk (400): RBD images are raw', async () => {
    const res = await api('POST', '/disks', {
      name: 'q',
      storageDomainId: sd.id,
      virtualSizeBytes: 64 * 1024 ** 2,
      format: 'qcow2',
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'format' })]);
  });

  it('a VM whose disk is a new RBD image boots on h1 and writes to it', async () => {
    const vmTask = await task('POST', '/vms', testVmBody(lab, 'kcp1-vm', sd.id));
    expect(vmTask.status).toBe('succeeded');
    vmId = vmTask.target!.id;
    disk = (await get<{ items: Disk[] }>(`/disks?vmId=${vmId}`)).items[0]!;
    expect(disk.format).toBe('raw');
    expect(disk.volumePath).toBe(`${ceph.pool}/${disk.id}.img`);
    // The image exists in Ceph and is the pool's volume on both hosts.
    expect((await cephCluster().rbd(['ls', ceph.pool])).split('\n')).toContain(`${disk.id}.img`);
    for (const h of ['h1', 'h2']) {
      await virshOrThrow(lab.uri(h), ['pool-refresh', pool()]);
      expect(await virshOrThrow(lab.uri(h), ['vol-list', '--pool', pool(), '--details'])).toMatch(
        new RegExp(`${disk.id}\\.img\\s+${ceph.pool}/${disk.id}\\.img\\s+network\\s+1\\.00 GiB`),
      );
    }
    await succeeded('POST', `/vms/${vmId}/start`);
    const xml = await virshOrThrow(lab.uri('h1'), ['dumpxml', vmId]);
    expect(xml).toContain(`<source protocol='rbd' name='${ceph.pool}/${disk.id}.img'`);
    expect(xml).not.toContain(ceph.key);
    await eventually(
      'the guest writes heartbeats to the RBD image',
      async () => (await heartbeat(image())) > 0,
      60_000,
      500,
    );
  });

  it('live-migrates to h2 as shared storage, and the guest keeps writing to the image', async () => {
    const t = await succeeded('POST', `/vms/${vmId}/migrate`, { targetHostId: lab.p.hosts.h2.id });
    expect(t.status).toBe('succeeded');
    expect((await virshOrThrow(lab.uri('h2'), ['domstate', vmId])).trim()).toBe('running');
    expect((await virsh(lab.uri('h1'), ['domstate', vmId])).code).not.toBe(0);
    const after = await heartbeat(image());
    await eventually(
      'the migrated guest keeps writing',
      async () => (await heartbeat(image())) > after + 2,
      30_000,
      500,
    );
  });

  it('deleting the VM with its disks removes the RBD image', async () => {
    const t = await succeeded('DELETE', `/vms/${vmId}?withDisks=true&force=true`);
    expect(t.result).toMatchObject({ deletedVolumes: expect.arrayContaining([disk.volumePath]) });
    await eventually(
      'the image gone from Ceph',
      async () => !(await cephCluster().rbd(['ls', ceph.pool])).split('\n').includes(`${disk.id}.img`),
      30_000,
      500,
    );
  });

  it('maintenance removes the pool and its secret from every host', () =>
    expectMaintenanceRemovesPool(lab, sd.id));
});

const lunHeartbeat = (lun: number) => lunHeartbeat0(tgt.lunFile(lun));

describe('disks on LUNs of an iscsi domain', () => {
  let san: StorageDomain;
  let vmId: string;
  let disk: Disk;
  const vmOnSan = (name: string, sizeGiB: number) =>
    task('POST', '/vms', testVmBody(lab, name, san.id, sizeGiB));
  const diskOf = async (id: string) => (await get<{ items: Disk[] }>(`/disks?vmId=${id}`)).items[0]!;

  beforeAll(async () => {
    const created = await api('POST', '/storage-domains', {
      name: 'san1',
      datacenterId: lab.p.datacenterId,
      type: 'iscsi',
      connection: { portal: tgt.portal, target: IQN },
    });
    expect(created.status).toBe(201);
    san = created.body as StorageDomain;
    await succeeded('POST', `/storage-domains/${san.id}/attach`);
    await succeeded('POST', `/storage-domains/${san.id}/activate`);
  }, 60_000);

  it('a new 1 GiB disk takes the smallest free LUN large enough (LUN 2), and the VM boots from it', async () => {
    const t = await vmOnSan('kcp1-lun-vm', 1);
    expect(t.status).toBe('succeeded');
    vmId = t.target!.id;
    disk = await diskOf(vmId);
    expect(disk.volumePath).toMatch(/\/unit:0:0:2$/);
    // The disk's size is the LUN's, as the host sees it.
    const info = await virshOrThrow(lab.uri('h1'), [
      'vol-info',
      '--pool',
      `kelpie-${san.id}`,
      'unit:0:0:2',
      '--bytes',
    ]);
    expect(disk).toMatchObject({
      format: 'raw',
      virtualSizeBytes: Number(/Capacity:\s+(\d+)/.exec(info)?.[1]),
    });
    expect(disk.virtualSizeBytes).toBeGreaterThan(GIB);
    await succeeded('POST', `/vms/${vmId}/start`);
    const blk = await virshOrThrow(lab.uri('h1'), ['domblklist', vmId, '--details']);
    expect(blk).toMatch(/volume\s+disk\s+vda\s+\S*unit:0:0:2/);
    expect(await virshOrThrow(lab.uri('h1'), ['dumpxml', vmId])).toContain(
      `<source pool='kelpie-${san.id}' volume='unit:0:0:2'`,
    );
    await eventually('the guest writes heartbeats to LUN 2', async () => lunHeartbeat(2) > 0, 60_000, 500);
    expect(lunHeartbeat(1)).toBe(-1);
  });

  it('refuses to resize or snapshot a LUN disk (409 with the reason)', async () => {
    const resize = await api('POST', `/disks/${disk.id}/resize`, { virtualSizeBytes: 2 * GIB });
    expect(resize.status).toBe(409);
    expect(resize.body.message).toMatch(/LUN/);
    const snap = await api('POST', `/vms/${vmId}/snapshots`, { name: 's1', type: 'external' });
    expect(snap.status).toBe(409);
    expect(snap.body.message).toMatch(/iscsi domain san1/);
  });

  it('a disk no free LUN can hold fails its VM create naming the domain, nothing left', async () => {
    const t = await vmOnSan('kcp1-too-big', 4);
    expect(t.status).toBe('failed');
    expect(t.errorMessage).toMatch(/san1 has no free LUN of at least/);
    expect(JSON.stringify(await get('/vms'))).not.toContain('kcp1-too-big');
  });

  it('deleting the VM with its disks releases the LUN, data untouched, for the next disk', async () => {
    const t: Task = await succeeded('DELETE', `/vms/${vmId}?withDisks=true&force=true`);
    expect(t.status).toBe('succeeded');
    expect(lunHeartbeat(2)).toBeGreaterThan(0);
    const again = await vmOnSan('kcp1-lun-vm2', 1);
    expect(again.status).toBe('succeeded');
    expect((await diskOf(again.target!.id)).volumePath).toMatch(/\/unit:0:0:2$/);
    await succeeded('DELETE', `/vms/${again.target!.id}?withDisks=true&force=true`);
  });
});
