import { randomUUID } from 'node:crypto';
import { chmod, chown, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostLayout } from './lab-config';
import { writePlaceholderTls } from './host-tls-placeholder';
import { runOrThrow } from './process-runner';

/** Per-host directory → the path it is bind-mounted over inside the host (see scripts/host-start.sh). */
export const HOST_BIND_DIRS = {
  'etc-libvirt': '/etc/libvirt',
  'var-lib-libvirt': '/var/lib/libvirt',
  'run-libvirt': '/run/libvirt',
  'var-log-libvirt': '/var/log/libvirt',
  'var-cache-libvirt': '/var/cache/libvirt',
  // The host's own TLS certificates (engine-issued, installed by its agent) for libvirt and QEMU.
  'etc-pki': '/etc/pki',
} as const;

/** Saved QEMU capability probe shared by all lab hosts (saves ~8 s per host start). */
/** Probed by a libvirtd on CPU 0, as every lab libvirtd runs (host-start.sh says why). */
export const CAPABILITY_CACHE_TEMPLATE = '/var/cache/kelpie-lab/libvirt-cache-cpu0';

const LIBVIRTD_KEYS = ['listen_tcp', 'listen_tls', 'listen_addr', 'auth_tcp', 'host_uuid', 'log_outputs'];
const QEMU_KEYS = ['migration_host', 'migration_address', 'vnc_listen', 'remember_owner', 'lock_manager'];
const LOCKD_KEYS = ['auto_disk_leases', 'require_lease_for_disks', 'file_lockspace_dir'];

/**
 * Creates (first time) or refreshes (repair) a host's libvirt directories. Existing per-host state
 * (defined domains, host UUID) is kept; the config files are always rewritten. With a `lockspaceDir`
 * (lab option `lockManager`) the host uses libvirt's lock manager (virtlockd) with that lockspace,
 * shared by all hosts: a second QEMU for a disk whose lease another host holds is refused (ADR 0037).
 */
export async function prepareHostDirs(host: HostLayout, lockspaceDir: string | null): Promise<void> {
  await mkdir(host.pidDir, { recursive: true });
  const etc = join(host.dir, 'etc-libvirt');
  if (!(await exists(etc))) await copyEtcLibvirt(etc);
  const lib = join(host.dir, 'var-lib-libvirt');
  if (!(await exists(lib))) await mirrorDirectories('/var/lib/libvirt', lib, 3);
  await mkdir(join(host.dir, 'run-libvirt'), { recursive: true });
  await mkdir(join(host.dir, 'etc-pki'), { recursive: true, mode: 0o755 });
  await writePlaceholderTls(join(host.dir, 'etc-pki'), host.ip);
  await mkdir(join(host.dir, 'var-log-libvirt', 'qemu'), { recursive: true });
  const cache = join(host.dir, 'var-cache-libvirt');
  if (!(await exists(cache))) await seedCapabilityCache(cache);
  const uuid = await hostUuid(host);
  await rewriteConf(join(etc, 'libvirtd.conf'), LIBVIRTD_KEYS, {
    // TCP (unauthenticated) serves the lab's own tooling from the root namespace; hosts enrolled over
    // SSH talk to each other over TLS (qemu+tls://) with their engine-issued certificates.
    listen_tcp: 1,
    listen_tls: 1,
    listen_addr: host.ip,
    auth_tcp: 'none',
    host_uuid: uuid,
    log_outputs: '3:file:/var/log/libvirt/libvirtd.log',
  });
  await rewriteConf(join(etc, 'qemu.conf'), QEMU_KEYS, {
    migration_host: host.ip,
    migration_address: host.ip,
    vnc_listen: '0.0.0.0',
    remember_owner: 0,
    ...(lockspaceDir ? { lock_manager: 'lockd' } : {}),
  });
  if (!lockspaceDir) return;
  await mkdir(lockspaceDir, { recursive: true, mode: 0o700 });
  await rewriteConf(join(etc, 'qemu-lockd.conf'), LOCKD_KEYS, {
    auto_disk_leases: 1,
    require_lease_for_disks: 0,
    file_lockspace_dir: lockspaceDir,
  });
}

/** Stable per host (kept across repairs), distinct between hosts: migration refuses equal UUIDs. */
export async function hostUuid(host: HostLayout): Promise<string> {
  const file = join(host.dir, 'host-uuid');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const uuid = randomUUID();
    await writeFile(file, `${uuid}\n`);
    return uuid;
  }
}

/** Copy of /etc/libvirt without defined domains, networks, storage pools and autostart links. */
async function copyEtcLibvirt(target: string): Promise<void> {
  await runOrThrow('cp', ['-a', '--', '/etc/libvirt', target]);
  const qemuDir = join(target, 'qemu');
  for (const entry of await readdir(qemuDir).catch(() => [] as string[])) {
    if (entry.endsWith('.xml') || entry === 'autostart')
      await rm(join(qemuDir, entry), { recursive: true, force: true });
  }
  const networks = join(qemuDir, 'networks');
  await rm(networks, { recursive: true, force: true });
  await mkdir(join(networks, 'autostart'), { recursive: true });
  await rm(join(target, 'storage'), { recursive: true, force: true });
}

/** Directory skeleton of `source` (modes and owners, no files), `depth` levels deep. */
async function mirrorDirectories(source: string, target: string, depth: number): Promise<void> {
  const info = await stat(source).catch(() => undefined);
  await mkdir(target, { recursive: true });
  if (!info) return;
  await chmod(target, info.mode & 0o7777);
  await chown(target, info.uid, info.gid);
  if (depth === 0) return;
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.isDirectory())
      await mirrorDirectories(join(source, entry.name), join(target, entry.name), depth - 1);
  }
}

async function seedCapabilityCache(target: string): Promise<void> {
  const source = (await hasCapabilityProbe(CAPABILITY_CACHE_TEMPLATE))
    ? CAPABILITY_CACHE_TEMPLATE
    : '/var/cache/libvirt';
  if (await exists(source)) await cp(source, target, { recursive: true, preserveTimestamps: true });
  await mkdir(target, { recursive: true });
}

export async function hasCapabilityProbe(cacheDir: string): Promise<boolean> {
  const files = await readdir(join(cacheDir, 'qemu', 'capabilities')).catch(() => [] as string[]);
  return files.some((f) => f.endsWith('.xml'));
}

/** After a host probed QEMU, keep its cache as the template for the next hosts. */
export async function saveCapabilityCacheFrom(host: HostLayout): Promise<void> {
  const cache = join(host.dir, 'var-cache-libvirt');
  if ((await hasCapabilityProbe(CAPABILITY_CACHE_TEMPLATE)) || !(await hasCapabilityProbe(cache))) return;
  await mkdir(CAPABILITY_CACHE_TEMPLATE, { recursive: true });
  await cp(cache, CAPABILITY_CACHE_TEMPLATE, { recursive: true, preserveTimestamps: true });
}

/** Drops active settings of `keys` from a libvirt .conf and appends ours in one marked block. */
async function rewriteConf(
  file: string,
  keys: string[],
  values: Record<string, string | number>,
): Promise<void> {
  const keyPattern = new RegExp(`^\\s*(${keys.join('|')})\\s*=`);
  const original = await readFile(file, 'utf8').catch(() => '');
  const marker = '# --- kelpie lab ---';
  const kept = original
    .split(marker)[0]
    .split('\n')
    .filter((line) => !keyPattern.test(line));
  const block = Object.entries(values).map(
    ([k, v]) => `${k} = ${typeof v === 'number' ? v : JSON.stringify(v)}`,
  );
  await writeFile(file, [...kept, marker, ...block, ''].join('\n'), { mode: 0o600 });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
