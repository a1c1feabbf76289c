import { runOrThrow, testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import type { Disk, Host, Vm } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandBus } from '@kelpie/engine/testing';
import { addLabInfrastructure, eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { domblklist, qemuImgInfo, run202 } from './support-ks';

/**
 * External snapshot overlays are recorded as their disk's active image (lab `kqb4`, 1 host): a VM
 * whose domain disappears behind Kelpie's back is defined again on the overlay, not on the base
 * volume, so nothing written since the snapshot is lost; merging the snapshot puts the disk back on
 * its volume; an internal snapshot under an external one's overlay is refused up front; and the
 * garbage collector's host listing names the middle overlay of two external snapshots as in use.
 */
const V1 = '/api/v1';
let p: TestPlatform;
let sdId: string;
let networkId: string;
let vmId: string;
let base: string;

const api = (method: string, path: string, body?: unknown) => p.engine.api(method, `${V1}${path}`, body);
const uri = () => p.labStatus.hosts[0]!.uri;
const diskOf = async (): Promise<Disk> => (await api('GET', `/disks?vmId=${vmId}`)).body.items[0] as Disk;
/** The file libvirt's domain opens for vda. */
const vdaSource = async () => (await domblklist(p, vmId)).find((r) => r[2] === 'vda')![3];
const taskCount = async () =>
  (await p.engine.sql<{ n: number }>('SELECT count(*)::int AS n FROM task WHERE target_id = $1', [vmId]))[0]!
    .n;
/** qemu-io on an image (read-only, shared: the domain may hold it). */
const qemuIo = (image: string, cmd: string) =>
  runOrThrow('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', cmd, image]).catch((e: Error) => e.message);
const MARKER = 'read -P 0x6b 1M 64k';

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'kqb4', subnet: 108, hosts: 1 });
  ({ sdId, networkId } = await addLabInfrastructure(p));
  await eventually(
    'h1 up',
    async () => ((await api('GET', `/hosts/${p.hosts.h1!.id}`)).body as Host).status === HostStatus.Up,
    60_000,
    200,
  );
  const guest = await testGuest();
  const created = await run202(p, 'POST', `${V1}/vms`, {
    name: 'kqb4-vm',
    clusterId: p.clusterId,
    hostId: p.hosts.h1!.id,
    vcpus: 1,
    memoryMib: 128,
    disks: [{ sizeGiB: 1, storageDomainId: sdId }],
    nics: [{ networkId }],
    boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
  });
  vmId = created.target!.id;
  base = (await diskOf()).volumePath;
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('external snapshot overlays are the disk’s active image', () => {
  let internalId: string;

  it('records the overlay of an external snapshot as the active image; an internal snapshot under it is a 409 before any task', async () => {
    const internal = await run202(p, 'POST', `${V1}/vms/${vmId}/snapshots`, {
      name: 'int',
      type: 'internal',
    });
    internalId = String(internal.result!.snapshotId);
    expect((await diskOf()).activeImagePath).toBeNull();

    const ext = await run202(p, 'POST', `${V1}/vms/${vmId}/snapshots`, { name: 'ext1', type: 'external' });
    const overlay = await vdaSource();
    expect(overlay).not.toBe(base);
    expect(ext.result!.overlays).toEqual([{ target: 'vda', path: overlay }]);
    expect(await diskOf()).toMatchObject({ volumePath: base, activeImagePath: overlay });
    expect(existsSync(overlay)).toBe(true);

    // Why: the internal snapshot lives in the volume, under the overlay the disk now writes to.
    const listed = (image: string) => runOrThrow('qemu-img', ['snapshot', '-l', '-U', image]);
    expect(await listed(base)).toContain(internalId);
    expect(await listed(overlay)).not.toContain(internalId);
    const before = await taskCount();
    const res = await api('DELETE', `/vms/${vmId}/snapshots/${internalId}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(
      /internal snapshot int .*external snapshot ext1 .*delete \(merge\) ext1 first/i,
    );
    expect(await taskCount()).toBe(before);
  });

  it('merging the external snapshot puts the disk back on its volume', async () => {
    const tree = (await api('GET', `/vms/${vmId}/snapshots`)).body as {
      items: { id: string; name: string }[];
    };
    const ext1 = tree.items.find((s) => s.name === 'ext1')!;
    const overlay = (await diskOf()).activeImagePath!;
    await run202(p, 'DELETE', `${V1}/vms/${vmId}/snapshots/${ext1.id}`);
    expect(await diskOf()).toMatchObject({ volumePath: base, activeImagePath: null });
    expect(await vdaSource()).toBe(base);
    expect(existsSync(overlay)).toBe(false);
    // Nothing above it now: the internal snapshot goes.
    await run202(p, 'DELETE', `${V1}/vms/${vmId}/snapshots/${internalId}`);
  });

  it('a domain destroyed and undefined behind Kelpie’s back is defined again on the overlay, with what was written after the snapshot', async () => {
    await run202(p, 'POST', `${V1}/vms/${vmId}/snapshots`, { name: 'ext2', type: 'external' });
    const overlay = (await diskOf()).activeImagePath!;
    expect(overlay).toBe(await vdaSource());
    // Written after the snapshot: only the overlay has it.
    await runOrThrow('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x6b 1M 64k', overlay]);
    expect(await qemuIo(overlay, MARKER)).not.toMatch(/Pattern verification failed/);
    expect(await qemuIo(base, MARKER)).toMatch(/Pattern verification failed/);

    await virsh(uri(), ['destroy', vmId]);
    await virshOrThrow(uri(), ['undefine', '--snapshots-metadata', vmId]);
    await eventually(
      'the engine saw the domain go',
      async () => ((await api('GET', `/vms/${vmId}`)).body as Vm).hostId === null,
      30_000,
      200,
    );

    await run202(p, 'POST', `${V1}/vms/${vmId}/start`);
    expect(((await api('GET', `/vms/${vmId}`)).body as Vm).status).toBe(VmStatus.Up);
    // libvirt: the new domain opens the overlay, backed by the volume, and sees the marker.
    expect(await vdaSource()).toBe(overlay);
    const info = await qemuImgInfo(overlay);
    expect(info['backing-filename']).toBe(base);
    expect(await qemuIo(overlay, MARKER)).toMatch(/read 65536\/65536 bytes/);
    expect(await qemuIo(overlay, MARKER)).not.toMatch(/Pattern verification failed/);
  });

  it('the garbage collector sees every image of a chain of several external snapshots as in use', async () => {
    const middle = (await diskOf()).activeImagePath!;
    const ext3 = await run202(p, 'POST', `${V1}/vms/${vmId}/snapshots`, { name: 'ext3', type: 'external' });
    const top = (await diskOf()).activeImagePath!;
    expect(top).not.toBe(middle);
    // base ← middle ← top: the domain's disk source is only the top; the host's chain names the rest.
    expect((await qemuImgInfo(top))['backing-filename']).toBe(middle);
    const listing = await p.engine.app
      .get(CommandBus)
      .send(p.hosts.h1!.id, 'gc.list', { paths: [dirname(base)] });
    expect(listing.diskSources).toEqual(expect.arrayContaining([top, middle, base]));
    const orphans = await api('GET', '/gc/orphans');
    expect(orphans.status).toBe(200);
    expect(JSON.stringify(orphans.body)).not.toContain(middle);
    // Merged again: the last case deletes a VM whose disk has one overlay.
    await run202(p, 'DELETE', `${V1}/vms/${vmId}/snapshots/${String(ext3.result!.snapshotId)}`);
    expect(await vdaSource()).toBe(middle);
  });

  it('deleting the VM with its disks removes the overlay too', async () => {
    const overlay = (await diskOf()).activeImagePath!;
    const task = await run202(p, 'DELETE', `${V1}/vms/${vmId}?withDisks=true&force=true`);
    // The chain goes top first (an overlay never outlives the image below it mid-delete).
    expect(task.result!.deletedVolumes).toEqual([overlay, base]);
    expect(existsSync(base)).toBe(false);
    expect(existsSync(overlay)).toBe(false);
  });
});
