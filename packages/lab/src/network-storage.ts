import { readFile } from 'node:fs/promises';
import { HostLayout, LabConfig } from './lab-config';
import { runOrThrow, waitFor } from './process-runner';

/** OpenSSH's SFTP server (Debian's openssh-sftp-server, pulled in by openssh-server). */
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const SFTP_PORT_BASE = 7200;

/**
 * Network storage for lab hosts: each host reaches the lab's shared directory through its own link,
 * as a real host reaches NFS or iSCSI, instead of seeing the local directory. A host whose link is
 * down then cannot read or write the shared storage any more (its disks' I/O and its lease renewals
 * hang), which the local directory cannot show.
 *
 * Root namespace: one SFTP server per host (socat on the lab bridge's address, accepting only that
 * host's address). Inside the host: an `sshfs` FUSE mount of the shared directory over itself,
 * talking SFTP straight to that port (`directport`, no SSH: a lab without secrets). The sshfs daemon
 * is a process of the host: a crash or a BMC power off kills it with the rest, a boot mounts again.
 */
export function sftpRole(host: HostLayout): string {
  return `storage:sftp:${host.name}`;
}

export function sftpPort(host: HostLayout): number {
  return SFTP_PORT_BASE + host.index;
}

/** socat serving SFTP to this host only (`range`: guests on the lab bridge do not get in). */
export function sftpServerArgv(config: LabConfig, host: HostLayout): string[] {
  return [
    'socat',
    `TCP-LISTEN:${sftpPort(host)},bind=${config.bridgeIp},reuseaddr,fork,range=${host.ip}/32`,
    `EXEC:${SFTP_SERVER}`,
  ];
}

export async function waitForTcpPort(port: number): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  await waitFor(
    `TCP port ${port}`,
    async () =>
      (await readFile('/proc/net/tcp', 'utf8'))
        .split('\n')
        .some((l) => l.trim().split(/\s+/)[1]?.endsWith(hex)),
    10_000,
    100,
  );
}

/** True when the host's mount namespace (that of `anchorPid`) has the sshfs mount on the shared dir. */
export async function hasSharedMount(anchorPid: number, sharedDir: string): Promise<boolean> {
  const mounts = await readFile(`/proc/${anchorPid}/mounts`, 'utf8').catch(() => '');
  return mounts.split('\n').some((l) => {
    const [, target, type] = l.split(' ');
    return target === sharedDir && type === 'fuse.sshfs';
  });
}

/** Mounts the shared directory over itself inside the host, through the host's link (idempotent).
 * No attribute or directory caching: another host's lease record must be read as it is now. */
export async function mountSharedDir(config: LabConfig, host: HostLayout, anchorPid: number): Promise<void> {
  if (await hasSharedMount(anchorPid, config.sharedDir)) return;
  const options = [
    `directport=${sftpPort(host)}`,
    'allow_other',
    'dir_cache=no',
    'attr_timeout=0',
    'entry_timeout=0',
  ].join(',');
  await runOrThrow(
    'nsenter',
    [
      '-t',
      String(anchorPid),
      '-m',
      '-n',
      '--',
      'sshfs',
      '-o',
      options,
      `${config.bridgeIp}:${config.sharedDir}`,
      config.sharedDir,
    ],
    { timeoutMs: 30_000 },
  );
}
