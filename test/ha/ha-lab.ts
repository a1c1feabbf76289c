import { virsh } from '@kelpie/lab';
import { Host, LEASE_RENEWER_SCRIPT, LEASE_TARGETS_FILE, Task, Vm } from '@kelpie/shared-types';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentStateDir } from '../support/platform';
import { V1, VmLab } from '../vm/lifecycle-support';

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
  return { api, getVm, getHost, running, auditSince, createRunningVm };
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
