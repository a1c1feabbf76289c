import { Lab, virsh, virshOrThrow } from '@kelpie/lab';
import { LOCKSPACE_DIR, type Task } from '@kelpie/shared-types';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '../support/services';
import { MigrationKit, type StartedGuest } from '../migration/migration-kit';
import { lockHolders } from '../ha/ha-lab';
import { enrolledPlatform, enrollWorld, finished, hostOf, ok, stepOf, type EnrollWorld } from './enroll-kit';

/**
 * Disk leases by default (ADR 0053): enrollment over SSH turns libvirt's lock manager on — virtlockd,
 * its lockspace in the datacenter's shared directory domain — and restarts libvirtd to use it. A VM
 * reboot on such a host is a clean shutdown and a start by the agent, because libvirt's own reboot
 * under virtlockd kills the guest (ADR 0045's trace, shown here by a raw `virsh reboot`).
 * One lab host (kha2), one engine process.
 */
jest.setTimeout(240_000);

let w: EnrollWorld;
let db: TestDatabase;
let kit: MigrationKit | undefined;
let hostId = '';
let g: StartedGuest;

const hostFile = (...parts: string[]) => join(w.lab.host('h1').dir, ...parts);
const lockspace = () => join(w.labStatus.sharedDir, LOCKSPACE_DIR);
/** virtlockd's lease file of a disk: the SHA-256 of the disk's path, in the lockspace. */
const leaseFile = (disk: string) => join(lockspace(), createHash('sha256').update(disk).digest('hex'));
const pidOf = (file: string) => Number(readFileSync(hostFile('pids', file), 'utf8').trim());
const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

const qemuPid = async () =>
  Number((await readFile(hostFile('run-libvirt', 'qemu', `${g.name}.pid`), 'utf8')).trim());
const domstate = async () => (await virshOrThrow(w.lab.host('h1').uri, ['domstate', g.name])).trim();

beforeAll(async () => {
  const lab = new Lab({ name: 'kha2', subnet: 190 });
  const labStatus = await lab.up(1, { fresh: true });
  db = await createTestDatabase();
  const engine = await startEngineProcess({
    db,
    redisPrefix: testRedisPrefix(),
    logFile: join(lab.config.stateDir, 'engine.log'),
    env: {
      KELPIE_AGENT_REDIS_URL: `redis://${labStatus.bridgeIp}:6379`,
      KELPIE_ENROLL_HEARTBEAT_TIMEOUT_MS: '60000',
    },
  });
  w = await enrollWorld({ lab, labStatus, engine, dbUrl: db.url }, 'dc-kha2');
  // The datacenter's shared directory, registered before any host (it cannot be activated without one).
  await ok(w, 'POST', '/storage-domains', {
    name: 'shared',
    datacenterId: w.datacenterId,
    type: 'dir',
    path: labStatus.sharedDir,
  });
});

afterAll(async () => {
  await kit?.close().catch(() => undefined);
  await w?.engine.stop().catch(() => undefined);
  await w?.lab.down().catch(() => undefined);
  await db?.drop().catch(() => undefined);
});

describe('disk leases on every enrolled host', () => {
  it('enrollment turns lockd on with the lockspace in the shared domain, virtlockd runs, libvirtd restarted', async () => {
    const qemuConf = hostFile('etc-libvirt', 'qemu.conf');
    expect(readFileSync(qemuConf, 'utf8')).not.toMatch(/^\s*lock_manager\s*=\s*"lockd"/m);
    const libvirtdBefore = pidOf('libvirtd.pid');
    const t = await finished(w, 'POST', '/hosts', {
      name: 'kha2-h1',
      clusterId: w.clusterId,
      address: w.lab.host('h1').ip,
      password: w.access.password,
      expectedHostKeyFingerprint: await w.lab.hostKeyFingerprint('h1'),
    });
    expect(t.errorMessage).toBeNull();
    expect(t.status).toBe('succeeded');
    hostId = t.target!.id;
    expect(stepOf(t, 'leases')).toMatchObject({
      status: 'done',
      message: `lock manager lockd on, disk leases in ${lockspace()}; virtlockd running, libvirtd restarted`,
    });
    // What libvirt reads on the host, and the daemons that serve it.
    expect(readFileSync(qemuConf, 'utf8')).toMatch(/^lock_manager = "lockd"$/m);
    const lockd = readFileSync(hostFile('etc-libvirt', 'qemu-lockd.conf'), 'utf8');
    expect(lockd).toContain(`file_lockspace_dir = "${lockspace()}"`);
    expect(lockd).toMatch(/^auto_disk_leases = 1$/m);
    expect(comm(pidOf('virtlockd.pid'))).toBe('virtlockd');
    const libvirtdAfter = pidOf('libvirtd.pid');
    expect(libvirtdAfter).not.toBe(libvirtdBefore);
    expect(comm(libvirtdAfter)).toBe('libvirtd');
    expect((statSync(lockspace()).mode & 0o777).toString(8)).toBe('700');
    expect((await hostOf(w, hostId)).status).toBe('up');
  });

  it('a guest started there holds its disk lease in the shared lockspace (virtlockd, by the kernel)', async () => {
    kit = await MigrationKit.over(enrolledPlatform(w, { h1: hostId }));
    g = await kit.startGuest('h1', 'kha2-vm');
    await kit.guestBooted(g.log, 'the guest booted');
    const disk = join(w.labStatus.sharedDir, `${g.name}.img`);
    expect(lockHolders(leaseFile(disk))).toEqual([pidOf('virtlockd.pid')]);
  });

  it('reboot through the API: the agent shuts the guest down cleanly and starts it again — running, new QEMU, lease held', async () => {
    const before = await qemuPid();
    const poweredOff = (await readFile(g.log, 'utf8')).split('KELPIE-GUEST-POWEROFF').length;
    const res = await w.engine.api('POST', `/api/v1/vms/${g.id}/reboot`);
    expect(res.status).toBe(202);
    const t = await kit!.waitTask((res.body as Task).id, 180_000);
    expect(t.errorMessage ?? null).toBeNull();
    expect(t.status).toBe('succeeded');
    expect(await domstate()).toBe('running');
    // The guest went through its own clean power off (its ACPI handler wrote this) and a new QEMU runs it.
    expect((await readFile(g.log, 'utf8')).split('KELPIE-GUEST-POWEROFF').length).toBe(poweredOff + 1);
    expect(await qemuPid()).not.toBe(before);
    const beat = await kit!.heartbeat(g.log);
    await kit!.heartbeatAfter(g.log, beat, 'the rebooted guest runs', 120_000);
    expect(lockHolders(leaseFile(join(w.labStatus.sharedDir, `${g.name}.img`)))).toEqual([
      pidOf('virtlockd.pid'),
    ]);
    await eventually(
      'the engine sees the VM up again',
      async () => (await kit!.vm(g.id)).status === 'up',
      30_000,
    );
  });

  it("why: libvirt's own reboot on this host ends the guest shut off (virtlockd refuses its fake reboot)", async () => {
    const libvirtdLog = hostFile('var-log-libvirt', 'libvirtd.log');
    const logged = (await readFile(libvirtdLog, 'utf8').catch(() => '')).length;
    await virshOrThrow(w.lab.host('h1').uri, ['reboot', '--mode', 'acpi', g.name]);
    const st = await eventually(
      'the raw virsh reboot to settle',
      async () => {
        const s = (await virsh(w.lab.host('h1').uri, ['domstate', '--reason', g.name])).stdout.trim();
        return s.startsWith('shut off') ? s : null;
      },
      60_000,
      250,
    );
    console.log(`after a raw virsh reboot under lockd: ${st}`);
    expect((await readFile(libvirtdLog, 'utf8')).slice(logged)).toMatch(
      /Lockspace resource '[0-9a-f]{64}' is locked/,
    );
  });
});
