import { access, copyFile, rm, writeFile, chmod } from 'node:fs/promises';
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
  // iSCSI without a kernel initiator: tgt serves LUNs from the root namespace, libvirt's
  // iscsi-direct pool and QEMU (block-iscsi) reach them through libiscsi in user space.
  'tgt',
  'qemu-block-extra',
  'libvirt-daemon-driver-storage-iscsi-direct',
] as const;

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

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
  const missing = await missingDebianPackages(packages);
  if (missing.length === 0) return [];
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
    await runOrThrow('apt-get', ['update'], { env });
    await runOrThrow('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
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
