import { HostLayout, SHARED_POOL_NAME } from './lab-config';
import { virsh, virshOrThrow } from './virsh';

/** Defines, starts and autostarts the `kelpie-shared` dir pool on a host (idempotent) — unless another
 * pool serves the shared directory already: a storage domain activated there (the devstack's) owns
 * it, and libvirt refuses two pools on one directory. */
export async function ensureSharedPool(host: HostLayout, sharedDir: string): Promise<void> {
  let info = await virsh(host.uri, ['pool-info', SHARED_POOL_NAME]);
  if (info.code !== 0) {
    if (await otherPoolOn(host, sharedDir)) return;
    await virshOrThrow(host.uri, ['pool-define-as', SHARED_POOL_NAME, 'dir', '--target', sharedDir]);
    info = await virsh(host.uri, ['pool-info', SHARED_POOL_NAME]);
  }
  if (!/State:\s+running/.test(info.stdout)) await virshOrThrow(host.uri, ['pool-start', SHARED_POOL_NAME]);
  if (!/Autostart:\s+yes/.test(info.stdout))
    await virshOrThrow(host.uri, ['pool-autostart', SHARED_POOL_NAME]);
}

/** Takes the lab's `kelpie-shared` pool off the host (stopped and undefined; a dir pool's files stay),
 * for a storage domain to serve the shared directory instead. */
export async function removeSharedPool(host: Pick<HostLayout, 'uri'>): Promise<void> {
  await virsh(host.uri, ['pool-destroy', SHARED_POOL_NAME]);
  await virsh(host.uri, ['pool-undefine', SHARED_POOL_NAME]);
}

async function otherPoolOn(host: HostLayout, dir: string): Promise<string | undefined> {
  const names = (await virshOrThrow(host.uri, ['pool-list', '--all', '--name']))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const name of names) {
    const xml = await virsh(host.uri, ['pool-dumpxml', name]);
    const path = /<target>\s*<path>([^<]+)<\/path>/.exec(xml.stdout)?.[1];
    if (path && path.replace(/\/+$/, '') === dir.replace(/\/+$/, '')) return name;
  }
  return undefined;
}
