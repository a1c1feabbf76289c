import { virsh, virshOrThrow } from '@kelpie/lab';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../support/platform';
import { MigrationKit } from './migration-kit';

/** Live migration with non-shared storage (copy-all, copy-incremental) on lab `kx89` (2 hosts).
 * The disks live in each host's own /var/lib/libvirt/images, which the other host does not see. */
let k: MigrationKit;
const IMAGES = '/var/lib/libvirt/images';
const POOL = 'kx-images';

beforeAll(async () => {
  k = await MigrationKit.start({ labName: 'kx89', subnet: 89, hosts: 2 });
  for (const h of ['h1', 'h2']) await mkdir(k.hostDir(h, 'images'), { recursive: true });
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

async function definePool(h: string): Promise<void> {
  await virsh(k.uriOf(h), ['pool-destroy', POOL]);
  await virsh(k.uriOf(h), ['pool-undefine', POOL]);
  await virshOrThrow(k.uriOf(h), ['pool-define-as', POOL, 'dir', '--target', IMAGES]);
  await virshOrThrow(k.uriOf(h), ['pool-start', POOL]);
}

/** `qemu-img` inside a lab host, where the backing file paths of its images resolve. */
async function qemuImgInfo(h: string, path: string): Promise<Record<string, unknown>[]> {
  const r = await k.p.lab.execInHost(h, ['qemu-img', 'info', '-U', '--backing-chain', '--output=json', path]);
  if (r.code !== 0) throw new Error(`qemu-img info ${path} on ${h}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

async function inHost(h: string, argv: string[]): Promise<string> {
  const r = await k.p.lab.execInHost(h, argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} on ${h}: ${r.stderr}`);
  return r.stdout;
}

describe('live migration with non-shared storage', () => {
  it('copies a host-local disk with storage copy-all', async () => {
    const local = await k.startGuest('h1', 'kx-local', {
      memoryMiB: 96,
      diskPath: join(IMAGES, 'kx-local.img'),
      diskRootPath: k.hostDir('h1', 'images', 'kx-local.img'),
    });
    // The disk is not visible on h2: "shared" is refused; copy-all needs a pool there.
    let res = await k.api('POST', `/api/v1/vms/${local.id}/migrate`, { targetHostId: k.hostId('h2') });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/not visible on this host/);
    await virsh(k.uriOf('h2'), ['pool-destroy', POOL]);
    await virsh(k.uriOf('h2'), ['pool-undefine', POOL]);
    res = await k.api('POST', `/api/v1/vms/${local.id}/migrate`, {
      targetHostId: k.hostId('h2'),
      storage: 'copy-all',
    });
    if (res.status === 202) throw new Error('expected a 422 without a pool on h2');
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/no storage pool/);
    await definePool('h2');
    await k.guestBooted(local.log, 'heartbeat');
    const before = await k.heartbeat(local.log);
    const task = await k.migrate(local.id, { targetHostId: k.hostId('h2'), storage: 'copy-all' });
    const final = await k.waitTask(task.id, 90_000);
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    expect(await k.whereIs(local.id)).toEqual({ h2: 'running' });
    expect((await k.vm(local.id)).hostId).toBe(k.hostId('h2'));
    const copied = k.hostDir('h2', 'images', 'kx-local.img');
    expect((await readFile(copied)).length).toBe(8 * 1024 * 1024);
    await k.heartbeatAfter(local.log, before, 'heartbeat after the copy');
    // The guest writes its heartbeat to sector 0 of the copied disk.
    await eventually(
      'heartbeat in the copied disk',
      async () => /KELPIE-HEARTBEAT/.test((await readFile(copied)).subarray(0, 512).toString('latin1')),
      10_000,
    );
    await virsh(k.uriOf('h2'), ['destroy', local.id]);
  }, 240_000);

  it('copies only the overlay with copy-incremental; the backing file must already be on the target', async () => {
    await definePool('h1');
    await definePool('h2');
    // A base image with a known pattern at 1 MiB, and on h1 a thin qcow2 overlay on top of it.
    const base = join(IMAGES, 'kx-base.qcow2');
    const overlay = join(IMAGES, 'kx-inc.qcow2');
    for (const h of ['h1', 'h2']) {
      await rm(k.hostDir(h, 'images', 'kx-base.qcow2'), { force: true });
      await rm(k.hostDir(h, 'images', 'kx-inc.qcow2'), { force: true });
    }
    await inHost('h1', ['qemu-img', 'create', '-q', '-f', 'qcow2', base, '8M']);
    await inHost('h1', ['qemu-io', '-f', 'qcow2', '-c', 'write -P 0xab 1M 64k', base]);
    await inHost('h1', ['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', overlay]);
    await virshOrThrow(k.uriOf('h1'), ['pool-refresh', POOL]);
    const g = await k.startGuest('h1', 'kx-inc', {
      memoryMiB: 96,
      diskPath: overlay,
      diskRootPath: null,
      diskFormat: 'qcow2',
    });
    await k.guestBooted(g.log, 'heartbeat');

    // Without the backing file on h2 the agent refuses before anything moves, and leaves nothing there.
    let task = await k.migrate(g.id, { targetHostId: k.hostId('h2'), storage: 'copy-incremental' });
    let final = await k.waitTask(task.id, 60_000);
    expect(final.status).toBe('failed');
    expect(final.errorMessage).toMatch(/backing file \/var\/lib\/libvirt\/images\/kx-base.qcow2 .* target/);
    expect(await k.whereIs(g.id)).toEqual({ h1: 'running' });
    await expect(readFile(k.hostDir('h2', 'images', 'kx-inc.qcow2'))).rejects.toThrow(/ENOENT/);

    // With the base copied to h2 only the overlay travels.
    await copyFile(k.hostDir('h1', 'images', 'kx-base.qcow2'), k.hostDir('h2', 'images', 'kx-base.qcow2'));
    await virshOrThrow(k.uriOf('h2'), ['pool-refresh', POOL]);
    const before = await k.heartbeat(g.log);
    task = await k.migrate(g.id, { targetHostId: k.hostId('h2'), storage: 'copy-incremental' });
    final = await k.waitTask(task.id, 90_000);
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    expect(await k.whereIs(g.id)).toEqual({ h2: 'running' });
    await eventually(
      'engine shows it on h2',
      async () => (await k.vm(g.id)).hostId === k.hostId('h2'),
      15_000,
    );
    await k.heartbeatAfter(g.log, before, 'heartbeat after the incremental copy');

    // libvirt on h2 runs the overlay with the base as its backing store …
    const xml = await virshOrThrow(k.uriOf('h2'), ['dumpxml', g.id]);
    expect(xml).toContain(`<source file='${overlay}'`);
    expect(xml).toMatch(
      new RegExp(`<backingStore type='file'[^>]*>\\s*<format type='qcow2'/>\\s*<source file='${base}'/>`),
    );
    // … and the image on h2 is a qcow2 overlay whose chain ends in the base, with the base's data
    // readable through it and the guest's heartbeat in its own first sector.
    const chain = await qemuImgInfo('h2', overlay);
    expect(chain.map((i) => [i.filename, i.format])).toEqual([
      [overlay, 'qcow2'],
      [base, 'qcow2'],
    ]);
    expect(chain[0]!['backing-filename']).toBe(base);
    const flat = join(IMAGES, 'kx-inc-flat.raw');
    await eventually(
      'heartbeat in the overlay on h2, base data beneath it',
      async () => {
        await inHost('h2', ['qemu-img', 'convert', '-U', '-O', 'raw', overlay, flat]);
        const data = await readFile(k.hostDir('h2', 'images', 'kx-inc-flat.raw'));
        const fromBase = data.subarray(1024 * 1024, 1024 * 1024 + 65536);
        return (
          /KELPIE-HEARTBEAT/.test(data.subarray(0, 512).toString('latin1')) &&
          fromBase.every((b) => b === 0xab)
        );
      },
      10_000,
    );
    // Only the overlay's own clusters crossed: far less than the image size.
    const copied = (await qemuImgInfo('h2', overlay))[0]!['actual-size'] as number;
    expect(copied).toBeLessThan(2 * 1024 * 1024);
    await virsh(k.uriOf('h2'), ['destroy', g.id]);
  }, 270_000);
});
