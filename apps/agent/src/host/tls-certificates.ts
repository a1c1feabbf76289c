import { HOST_TLS_FILES } from '@kelpie/shared-types';
import { chmod, chown, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The host's engine-issued TLS material (from its credentials file). */
export interface HostTls {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

/** QEMU's certificate directory under the PKI directory (what a migration with TLS needs). */
export const QEMU_TLS_DIR = 'qemu';

/** Groups QEMU runs in on Debian/Ubuntu and on RHEL-likes. */
const QEMU_GROUPS = ['libvirt-qemu', 'qemu'];

/**
 * Writes the engine-issued certificate and key where libvirt and QEMU read them. Each file is
 * written under a new name and renamed into place; unchanged files are left alone (so a restart of
 * the agent does not touch what QEMU may be reading). Returns the files it changed.
 */
export async function installHostTls(
  pkiDir: string,
  tls: HostTls,
  groupFile = '/etc/group',
): Promise<string[]> {
  const qemuGid = await groupId(groupFile, QEMU_GROUPS);
  const changed: string[] = [];
  for (const [rel, part, reader] of HOST_TLS_FILES) {
    const path = join(pkiDir, rel);
    const data = tls[part];
    const mode = reader === 'all' ? 0o644 : reader === 'qemu' && qemuGid !== undefined ? 0o640 : 0o600;
    if ((await readFile(path, 'utf8').catch(() => undefined)) === data) continue;
    await mkdir(dirname(path), { recursive: true, mode: rel.includes('/private/') ? 0o700 : 0o755 });
    const temp = `${path}.new`;
    await writeFile(temp, data, { mode });
    await chmod(temp, mode);
    if (reader === 'qemu' && qemuGid !== undefined) await chown(temp, 0, qemuGid);
    await rename(temp, path);
    changed.push(path);
  }
  return changed;
}

/** The gid of the first of `names` in an /etc/group-format file. */
export async function groupId(groupFile: string, names: string[]): Promise<number | undefined> {
  const lines = (await readFile(groupFile, 'utf8').catch(() => '')).split('\n');
  for (const name of names) {
    const line = lines.find((l) => l.startsWith(`${name}:`));
    const gid = line ? Number(line.split(':')[2]) : NaN;
    if (Number.isInteger(gid)) return gid;
  }
  return undefined;
}
