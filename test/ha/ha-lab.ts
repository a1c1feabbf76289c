import { virsh, virshOrThrow } from '@kelpie/lab';
import {
  Host,
  HOST_LEASE_DIR,
  LEASE_RENEWER_SCRIPT,
  LEASE_TARGETS_FILE,
  Task,
  Vm,
  VmStatus,
} from '@kelpie/shared-types';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentStateDir, eventually } from '../support/platform';
import { createTestDatabase, TestDatabase } from '../support/services';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';

/** Helpers of the HA lab tests: API shortcuts, what runs where (virsh, QEMU processes), the audit log. */
export function haLab(L: () => VmLab) {
  const api = (method: string, path: string, body?: unknown) =>
    L().p.engine.api(method, `${V1}${path}`, body);
  const getVm = async (id: string) => (await api('GET', `/vms/${id}`)).body as Vm;
  const getHost = async (h: string) => (await api('GET', `/hosts/${L().p.hosts[h].id}`)).body as Host;
  /** Running domains' UUIDs on a lab host; a dead host (or one without libvirtd) runs nothing visible. */
  const running = async (h: string) => {
    const r = await virsh(L().uri(h), ['list', '--uuid'], 5000);
    return r.code === 0 ? r.stdout.split('\n').map((l) => l.trim()) : [];
  };
  const auditSince = async (since: Date, types: string[]) =>
    L().p.engine.sql<{ type: string; message: string; time: Date }>(
      `SELECT type, message, time FROM event WHERE time >= $1 AND type = ANY($2) ORDER BY time`,
      [since, types],
    );
  /** Power on is the fence's last step, after the VMs were released (and may end after the host is
   * back Up: fence_ipmilan waits for the BMC to report "on"): wait until it is audited, done or failed. */
  const powerOnAudited = (since: Date) =>
    eventually(
      'the power-on step audited',
      async () => (await auditSince(since, ['host.fence_step'])).some((e) => /: power on/.test(e.message)),
      60_000,
      500,
    );
  async function createRunningVm(name: string, ha: object, ip: string): Promise<Vm> {
    const lab = L();
    const res = await api('POST', '/vms', {
      name,
      clusterId: lab.p.clusterId,
      hostId: lab.p.hosts.h1.id,
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: lab.sdId }],
      nics: [{ networkId: lab.networkId }],
      boot: { kind: 'kernel', ...lab.guest, cmdline: `console=ttyS0 panic=-1 quiet ip=${ip}/24` },
      graphicsVnc: false,
      ...ha,
    });
    expect(res.status).toBe(202);
    expect((await lab.waitTask(res.body as Task)).status).toBe('succeeded');
    const id = (res.body as Task).target!.id;
    const start = await api('POST', `/vms/${id}/start`);
    expect((await lab.waitTask(start.body as Task)).status).toBe('succeeded');
    return getVm(id);
  }
  /** The VM Up on that host for the engine, and running there for virsh. */
  async function waitRunningOn(vmId: string, h: string): Promise<void> {
    await eventually(
      `VM ${vmId} up on ${h}`,
      async () => {
        const vm = await getVm(vmId);
        return vm.status === VmStatus.Up && vm.hostId === L().p.hosts[h].id;
      },
      90_000,
      250,
    );
    expect((await virshOrThrow(L().uri(h), ['domstate', vmId])).trim()).toBe('running');
  }
  return { api, getVm, getHost, running, auditSince, powerOnAudited, createRunningVm, waitRunningOn };
}

/** The pids of the QEMUs running the VM, on any lab host (they share the machine's pid namespace). */
export async function qemuPids(vmId: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (t) => t.split('\0'),
      () => [] as string[],
    );
    const at = argv.indexOf('-uuid');
    if (argv[0]?.includes('qemu') && at >= 0 && argv[at + 1] === vmId) pids.push(Number(entry));
  }
  return pids;
}

/** Each host's lease renewer, as a host daemon apart from its agent (a crash or a BMC power off kills
 * it, a power on starts it again), reading the targets its agent writes; renews every second. */
export async function startLeaseRenewers(L: VmLab, hosts: string[]): Promise<void> {
  const script = join(L.p.lab.config.stateDir, 'lease-renewer.sh');
  await writeFile(script, LEASE_RENEWER_SCRIPT, { mode: 0o755 });
  for (const h of hosts)
    await L.p.lab.spawnInHost(
      h,
      ['/bin/sh', script, join(agentStateDir(L.p.lab, h), LEASE_TARGETS_FILE), '1'],
      {
        role: 'lease-renewer',
        startAtBoot: true,
        logFile: join(L.p.lab.host(h).dir, 'lease-renewer.log'),
      },
    );
}

/** Engine settings of the HA lab tests: a host is non-responsive after 4 s, fencing may start 4 s
 * after the engine did, and a host lease expires after `leaseTimeoutMs`. */
export function haEngineEnv(leaseTimeoutMs?: number): Record<string, string> {
  return {
    KELPIE_HEARTBEAT_TIMEOUT_MS: '4000',
    KELPIE_FENCE_STARTUP_GRACE_MS: '4000',
    ...(leaseTimeoutMs ? { KELPIE_FENCE_LEASE_TIMEOUT_MS: String(leaseTimeoutMs) } : {}),
  };
}

export const BMC_USER = 'kelpie';

/** A two-host lab whose h1 has a BMC (ipmi_sim, real IPMI) set as its power management, and a lease
 * renewer on every host; the agents check the shared storage every second. */
export async function startLeaseLab(options: {
  labName: string;
  subnet: number;
  bmcPort: number;
  bmcPassword: string;
  leaseTimeoutMs: number;
  networkStorage?: boolean;
}): Promise<{ L: VmLab; db: TestDatabase }> {
  const db = await createTestDatabase();
  const L = await startVmLab({
    labName: options.labName,
    subnet: options.subnet,
    hosts: 2,
    engineEnv: haEngineEnv(options.leaseTimeoutMs),
    agentEnv: { KELPIE_STORAGE_CHECK_INTERVAL_MS: '1000' },
    db,
    networkStorage: options.networkStorage,
  });
  const bmc = await L.p.lab.startBmc('h1', {
    port: options.bmcPort,
    username: BMC_USER,
    password: options.bmcPassword,
  });
  const pm = await L.p.engine.api('PUT', `${V1}/hosts/${L.p.hosts.h1.id}/power-management`, {
    type: 'ipmilan',
    address: bmc.address,
    port: bmc.port,
    username: BMC_USER,
    password: options.bmcPassword,
    cipher: 3,
  });
  expect(pm.status).toBe(200);
  await startLeaseRenewers(L, ['h1', 'h2']);
  return { L, db };
}

type AuditRow = { type: string; message: string; time: Date };

/** A successful hard fence in the audit log, in order: call, power off, confirm off, result, the HA
 * restart, then power on. */
export function expectFenceOrder(audit: AuditRow[]): void {
  const order = audit
    .filter((e) => e.type !== 'host.fence_decision')
    .map((e) => (e.type === 'host.fence_step' ? e.message.replace(/^.*?: /, '') : e.type));
  const at = (re: RegExp) => order.findIndex((o) => re.test(o));
  expect(at(/^host\.fence_call$/)).toBe(0);
  expect(at(/^power off: the BMC powered the host off/)).toBeGreaterThan(0);
  expect(at(/^confirm power off: the BMC reports power off/)).toBeGreaterThan(at(/^power off:/));
  expect(at(/^host\.fence_result$/)).toBeGreaterThan(at(/^confirm power off/));
  expect(at(/^vm\.ha_restarted$/)).toBeGreaterThan(at(/^host\.fence_result$/));
  expect(at(/^power on: the BMC powered the host on/)).toBeGreaterThan(at(/^vm\.ha_restarted$/));
}

/** A host's lease record on the shared domain, "<host id> <counter> <epoch ms>" (the renewer's clock),
 * read in the root namespace (the storage side). */
export async function leaseRecordOf(L: VmLab, h: string) {
  const file = join(L.p.labStatus.sharedDir, HOST_LEASE_DIR, L.p.hosts[h].id);
  const [hostId, counter, writtenAt] = (await readFile(file, 'utf8')).trim().split(' ');
  return { hostId, counter: Number(counter), writtenAt: Number(writtenAt) };
}

/** Pids holding a POSIX lock on the file (from /proc/locks: the kernel's own record); none when the
 * file is gone (virtlockd deletes a lease file it released that nobody else holds). */
export function lockHolders(file: string): number[] {
  if (!existsSync(file)) return [];
  const inode = statSync(file).ino;
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1] === 'POSIX' && f[5]?.split(':')[2] === String(inode))
    .map((f) => Number(f[4]));
}
