import { access, chmod, copyFile, open, readFile, rm, writeFile } from 'node:fs/promises';
import { run, runOrThrow } from './process-runner';

export const LAB_DEBIAN_PACKAGES = [
  'qemu-system-x86',
  'qemu-utils',
  'libvirt-daemon-system',
  'libvirt-clients',
  'dnsmasq-base',
  'iproute2',
  'socat',
  'busybox-static',
  'cpio',
  'xz-utils',
  // Each host runs its own sshd: engine enrollment logs in over real SSH.
  'openssh-server',
  // Simulated BMCs (ipmi_sim), one per host outside it; fence-agents' fence_ipmilan drives them (the
  // engine's own dependency, installed here because tests run the engine on this machine).
  'openipmi',
  'fence-agents',
  // fence_ipmilan runs ipmitool (only recommended by fence-agents: not pulled in without recommends).
  'ipmitool',
  // iSCSI without a kernel initiator: tgt serves LUNs from the root namespace, libvirt's
  // iscsi-direct pool and QEMU (block-iscsi) reach them through libiscsi in user space.
  'tgt',
  'qemu-block-extra',
  'libvirt-daemon-driver-storage-iscsi-direct',
  // Network storage for lab hosts (`networkStorage`): sshfs mounts of the shared directory.
  'sshfs',
  // Ceph RBD domains: a single-node cluster in the root namespace (mon, mgr, one OSD on a file),
  // libvirt's rbd pool on the hosts; QEMU opens images through qemu-block-extra's block-rbd.
  'ceph-mon',
  'ceph-mgr',
  'ceph-osd',
  'ceph-common',
  'libvirt-daemon-driver-storage-rbd',
  // UEFI guests: OVMF and its firmware descriptors (/usr/share/qemu/firmware) for libvirt's autoselection.
  'ovmf',
] as const;

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
/** Held while one process installs: test files run in parallel workers, each bringing up its lab. */
const INSTALL_LOCK = '/run/kelpie-lab-apt.lock';
const INSTALL_LOCK_WAIT_MS = 20 * 60_000;

/** Packages of the list that dpkg does not report as installed. */
export async function missingDebianPackages(
  packages: readonly string[] = LAB_DEBIAN_PACKAGES,
): Promise<string[]> {
  const result = await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...packages]);
  const installed = new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return packages.filter((p) => !installed.has(p));
}

/**
 * Installs missing packages non-interactively. A temporary policy-rc.d that exits 101 keeps
 * libvirt's packages from starting services (the lab starts its own daemons per host).
 */
export async function ensureDebianPackages(
  packages: readonly string[] = LAB_DEBIAN_PACKAGES,
): Promise<string[]> {
  if ((await missingDebianPackages(packages)).length === 0) return [];
  // Another worker may be installing the same packages: wait for it, then look again.
  return withInstallLock(async () => {
    const missing = await missingDebianPackages(packages);
    return missing.length ? install(missing) : [];
  });
}

async function install(missing: string[]): Promise<string[]> {
  const backup = `${POLICY_RC_D}.kelpie-lab-backup`;
  const hadPolicy = await access(POLICY_RC_D).then(
    () => true,
    () => false,
  );
  if (hadPolicy) await copyFile(POLICY_RC_D, backup);
  await writeFile(POLICY_RC_D, '#!/bin/sh\nexit 101\n');
  await chmod(POLICY_RC_D, 0o755);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runOrThrow('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { env });
    await runOrThrow(
      'apt-get',
      ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...missing],
      { env },
    );
  } finally {
    if (hadPolicy) {
      await copyFile(backup, POLICY_RC_D);
      await rm(backup, { force: true });
    } else {
      await rm(POLICY_RC_D, { force: true });
    }
  }
  return missing;
}

/** A lock file naming its holder's pid; one left by a dead process is taken over. */
async function withInstallLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + INSTALL_LOCK_WAIT_MS;
  for (;;) {
    try {
      const fh = await open(INSTALL_LOCK, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(INSTALL_LOCK, 'utf8').catch(() => ''));
      if (holder && !alive(holder)) {
        await rm(INSTALL_LOCK, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`another process (pid ${holder}) has been installing Debian packages for too long`, {
          cause: err,
        });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(INSTALL_LOCK, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
