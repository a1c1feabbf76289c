import { Lab, testGuest, testGuestDomainXml, virsh, virshOrThrow } from '@kelpie/lab';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lockHolders } from './ha-lab';
import { join } from 'node:path';

/**
 * The last line of defence against running a VM twice, without the engine: every lab host runs
 * libvirt's lock manager (virtlockd, lockspace shared by all hosts). The same domain started by hand
 * with virsh on a second host while it runs on the first is refused, and starts once the first copy
 * is gone; a live migration hands the lease over.
 *
 * All lab hosts share one kernel, so with one disk file QEMU's own image locking (OFD locks on the
 * image) could refuse the second QEMU before virtlockd is asked (libvirt acquires the lease only when
 * it resumes the paused QEMU). The second case proves the lease alone: each host has its own image at
 * the same path (as a LUN is a different device node on each host), so QEMU's locks cannot meet, and
 * only the lease — keyed by the disk path, in the shared lockspace — refuses.
 */
jest.setTimeout(240_000);

const lab = new Lab({ name: 'kls1', subnet: 176, lockManager: true });
const [h1, h2] = [lab.host(1), lab.host(2)];
let guest: { kernel: string; initrd: string };

function domainXml(name: string, diskPath: string): string {
  return testGuestDomainXml({
    name,
    memoryMiB: 96,
    vcpus: 1,
    virtType: 'qemu',
    kernel: guest.kernel,
    initrd: guest.initrd,
    diskPath,
    serialLogPath: join(lab.config.sharedDir, `${name}.serial.log`),
  });
}

async function defineOn(host: { uri: string }, name: string, diskPath: string): Promise<void> {
  const file = join(lab.config.sharedDir, `${name}.xml`);
  writeFileSync(file, domainXml(name, diskPath));
  await virshOrThrow(host.uri, ['define', file]);
}

/** The lease file of a disk in virtlockd's indirect lockspace: the SHA-256 of the disk's path. */
const leaseFile = (diskPath: string) =>
  join(lab.config.lockspaceDir, createHash('sha256').update(diskPath).digest('hex'));

const virtlockdPid = (host: { pidDir: string }) =>
  Number(readFileSync(join(host.pidDir, 'virtlockd.pid'), 'utf8').trim());

const state = async (host: { uri: string }, name: string) =>
  (await virsh(host.uri, ['domstate', name])).stdout.trim();

/** Starts the domain on the host: it runs there, and that host's virtlockd holds its disk's lease. */
async function startHoldingLease(host: { uri: string; pidDir: string }, name: string, disk: string) {
  await virshOrThrow(host.uri, ['start', name]);
  expect(await state(host, name)).toBe('running');
  expect(lockHolders(leaseFile(disk))).toEqual([virtlockdPid(host)]);
}

beforeAll(async () => {
  await lab.down();
  await lab.up(2);
  guest = await testGuest();
});

afterAll(async () => {
  await lab.down();
});

describe('disk leases: libvirt lock manager on every lab host', () => {
  it('every host runs virtlockd and libvirt uses it, with the lockspace shared by all hosts', async () => {
    for (const host of [h1, h2]) {
      const qemuConf = readFileSync(join(host.dir, 'etc-libvirt', 'qemu.conf'), 'utf8');
      expect(qemuConf).toMatch(/^lock_manager = "lockd"$/m);
      const lockdConf = readFileSync(join(host.dir, 'etc-libvirt', 'qemu-lockd.conf'), 'utf8');
      expect(lockdConf).toContain(`file_lockspace_dir = "${lab.config.lockspaceDir}"`);
      expect(readFileSync(`/proc/${virtlockdPid(host)}/comm`, 'utf8').trim()).toBe('virtlockd');
    }
  });

  it('the same domain on the same shared disk: refused on h2 while it runs on h1, started once it is gone', async () => {
    const name = 'kls1-shared';
    const disk = join(lab.config.sharedDir, `${name}.img`);
    writeFileSync(disk, Buffer.alloc(1024 * 1024));
    await defineOn(h1, name, disk);
    await defineOn(h2, name, disk);
    // h1's virtlockd holds the disk's lease: the kernel records its lock on the lease file.
    await startHoldingLease(h1, name, disk);

    const second = await virsh(h2.uri, ['start', name], 60_000);
    console.log(`second start of the shared disk on h2: ${second.stderr.trim()}`);
    expect(second.code).not.toBe(0);
    // On one kernel QEMU's own image lock refuses first (libvirt asks virtlockd only when it resumes
    // the paused QEMU, which never got that far); between real hosts on NFS the same OFD lock goes
    // through the NFS server, and on a LUN it does not exist — the next case shows the lease's refusal.
    // virsh usually relays QEMU's words; under load libvirt may only see the monitor vanish, and
    // QEMU's own log on h2 then holds them.
    const qemuLog = readFileSync(join(h2.dir, 'var-log-libvirt', 'qemu', `${name}.log`), 'utf8');
    expect(`${second.stderr}\n${qemuLog}`).toMatch(/Failed to get "write" lock/);
    expect(await state(h2, name)).toBe('shut off');
    expect(await state(h1, name)).toBe('running');

    await virshOrThrow(h1.uri, ['destroy', name]);
    await virshOrThrow(h1.uri, ['undefine', name]);
    expect(lockHolders(leaseFile(disk))).toEqual([]);
    await startHoldingLease(h2, name, disk);

    // Live migration hands the lease over (released on h2 when it pauses, taken on h1 when it resumes).
    await virshOrThrow(
      h2.uri,
      ['migrate', '--live', '--unsafe', '--p2p', '--persistent', '--undefinesource', name, h1.uri],
      120_000,
    );
    expect(await state(h1, name)).toBe('running');
    expect(lockHolders(leaseFile(disk))).toEqual([virtlockdPid(h1)]);
    await virshOrThrow(h1.uri, ['destroy', name]);
  });

  it('the lease alone refuses: QEMU cannot see the other copy, virtlockd does — even with h1 libvirtd gone, until h1 dies', async () => {
    const name = 'kls1-lease';
    const disk = '/var/lib/libvirt/images/kls1-lease.img';
    // One image per host at the same path: QEMU's image locks (per inode) cannot conflict.
    for (const host of [h1, h2]) {
      const images = join(host.dir, 'var-lib-libvirt', 'images');
      mkdirSync(images, { recursive: true });
      writeFileSync(join(images, 'kls1-lease.img'), Buffer.alloc(1024 * 1024));
      await defineOn(host, name, disk);
    }
    await startHoldingLease(h1, name, disk);

    const refused = await virsh(h2.uri, ['start', name], 60_000);
    console.log(`second start (own image, same path) on h2: ${refused.stderr.trim()}`);
    expect(refused.code).not.toBe(0);
    // virtlockd's words (QEMU's own locking would say "Failed to get ... lock").
    expect(refused.stderr).toMatch(/resource busy: Lockspace resource '[0-9a-f]{64}' is locked/);
    expect(await state(h2, name)).toBe('shut off');

    // h1's libvirtd dies, its QEMU runs on: the lease is virtlockd's, still held, still refused.
    await lab.stopLibvirtd('h1');
    const stillRefused = await virsh(h2.uri, ['start', name], 60_000);
    expect(stillRefused.code).not.toBe(0);
    expect(stillRefused.stderr).toMatch(/Lockspace resource '[0-9a-f]{64}' is locked/);

    // h1 loses power: its QEMU and virtlockd die, the kernel drops the lock, h2 may start the VM.
    await lab.crashHost('h1');
    expect(lockHolders(leaseFile(disk))).toEqual([]);
    await startHoldingLease(h2, name, disk);
    await virshOrThrow(h2.uri, ['destroy', name]);
  });
});
