import { readFile } from 'node:fs/promises';

/** libvirt's QEMU driver configuration on this host (where enrollment turns the lock manager on). */
export const QEMU_CONF = '/etc/libvirt/qemu.conf';

/** True when an active (uncommented) `lock_manager = "lockd"` line is in qemu.conf's text. The last
 * setting wins, as in libvirt's own parser. */
export function lockdConfigured(qemuConf: string): boolean {
  let lockd = false;
  for (const line of qemuConf.split('\n')) {
    const m = /^\s*lock_manager\s*=\s*"([^"]*)"\s*(?:#.*)?$/.exec(line);
    if (m) lockd = m[1] === 'lockd';
  }
  return lockd;
}

/**
 * Whether this host's libvirt holds disk leases through virtlockd. Read at each use (not cached):
 * enrollment may turn it on while the agent runs. A missing file means libvirt's default (no lock
 * manager).
 */
export async function hostUsesLockd(file = QEMU_CONF): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return lockdConfigured(text);
}
