import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HostLayout } from './lab-config';
import { isAliveInNetns, killAndWait, readPidFile } from './processes';
import { runOrThrow, waitFor } from './process-runner';
import { virsh } from './virsh';

const HOST_START_SCRIPT = join(__dirname, '..', 'scripts', 'host-start.sh');

export interface HostDaemonPids {
  libvirtd?: number;
  virtlogd?: number;
  virtlockd?: number;
}

export function libvirtdPidFile(host: HostLayout): string {
  return join(host.pidDir, 'libvirtd.pid');
}

export function virtlogdPidFile(host: HostLayout): string {
  return join(host.pidDir, 'virtlogd.pid');
}

export function virtlockdPidFile(host: HostLayout): string {
  return join(host.pidDir, 'virtlockd.pid');
}

/** Pids of the host's daemons that are alive and really inside its namespace. */
export async function liveDaemonPids(host: HostLayout): Promise<HostDaemonPids> {
  const files = [libvirtdPidFile(host), virtlogdPidFile(host), virtlockdPidFile(host)];
  const [libvirtd, virtlogd, virtlockd] = await Promise.all(
    files.map(async (file) => {
      const pid = await readPidFile(file);
      return (await isAliveInNetns(pid, host.netns)) ? pid : undefined;
    }),
  );
  return { libvirtd, virtlogd, virtlockd };
}

/** A pid whose mount+network namespaces are the host's (for nsenter), or undefined when the host is down. */
export async function hostAnchorPid(host: HostLayout): Promise<number | undefined> {
  const pids = await liveDaemonPids(host);
  return pids.libvirtd ?? pids.virtlogd;
}

/** New private mount namespace inside the host's network namespace, binds, virtlogd + libvirtd (and
 * ovsdb-server + ovs-vswitchd with `openvswitch`). */
export async function startHostDaemons(host: HostLayout, openvswitch = false): Promise<void> {
  await runOrThrow(
    'ip',
    [
      'netns',
      'exec',
      host.netns,
      'unshare',
      '-m',
      '--propagation',
      'slave',
      '--',
      'bash',
      HOST_START_SCRIPT,
      host.dir,
    ],
    { timeoutMs: 120000, env: { ...process.env, KELPIE_LAB_OVS: openvswitch ? '1' : '0' } },
  );
}

/** Starts libvirtd again inside the namespaces of a still-running virtlogd (guests keep running), and
 * virtlockd first when it is gone too (libvirtd's lock manager needs it to start any guest). */
export async function startLibvirtdBeside(host: HostLayout, anchorPid: number): Promise<void> {
  if (!(await liveDaemonPids(host)).virtlockd)
    await runOrThrow(
      'nsenter',
      ['-t', String(anchorPid), '-m', '-n', '--', 'virtlockd', '-d', '-p', virtlockdPidFile(host)],
      { timeoutMs: 30000 },
    );
  await runOrThrow(
    'nsenter',
    // On CPU 0, as host-start.sh starts it (why: there).
    [
      '-t',
      String(anchorPid),
      '-m',
      '-n',
      '--',
      'taskset',
      '-c',
      '0',
      'libvirtd',
      '-d',
      '--listen',
      '-p',
      libvirtdPidFile(host),
    ],
    {
      timeoutMs: 120000,
    },
  );
}

export async function stopLibvirtd(host: HostLayout): Promise<void> {
  const { libvirtd } = await liveDaemonPids(host);
  if (libvirtd) await killAndWait([libvirtd], 10000);
}

/** Polls `virsh -c qemu+tcp://<ip>/system uri` until libvirtd answers. */
export async function waitForLibvirtd(host: HostLayout, timeoutMs = 90000): Promise<void> {
  await waitFor(
    `libvirtd of ${host.name} at ${host.uri}`,
    async () => (await virsh(host.uri, ['uri'], 10000)).code === 0,
    timeoutMs,
    300,
  );
}

/** Kill + start libvirtd inside the same namespaces; running guests survive. */
export async function restartHostLibvirtd(host: HostLayout): Promise<void> {
  const { virtlogd } = await liveDaemonPids(host);
  if (!virtlogd)
    throw new Error(`${host.name}: virtlogd is not running, the host needs \`up\` to be repaired`);
  await stopLibvirtd(host);
  await startLibvirtdBeside(host, virtlogd);
  await waitForLibvirtd(host);
}

/** Detached process inside the host (nsenter execs in place, so the pid is the program's). */
export function spawnDetachedInHost(
  anchorPid: number,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  outFd: number | 'ignore',
): number {
  const child = spawn('nsenter', ['-t', String(anchorPid), '-m', '-n', '--', ...argv], {
    detached: true,
    stdio: ['ignore', outFd, outFd],
    env,
  });
  if (!child.pid) throw new Error(`could not start ${argv.join(' ')} in host`);
  child.unref();
  return child.pid;
}
