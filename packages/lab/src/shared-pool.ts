import { HostLayout, SHARED_POOL_NAME } from './lab-config';
import { virsh, virshOrThrow } from './virsh';

/** Defines, starts and autostarts the `kelpie-shared` dir pool on a host (idempotent). */
export async function ensureSharedPool(host: HostLayout, sharedDir: string): Promise<void> {
  let info = await virsh(host.uri, ['pool-info', SHARED_POOL_NAME]);
  if (info.code !== 0) {
    await virshOrThrow(host.uri, ['pool-define-as', SHARED_POOL_NAME, 'dir', '--target', sharedDir]);
    info = await virsh(host.uri, ['pool-info', SHARED_POOL_NAME]);
  }
  if (!/State:\s+running/.test(info.stdout)) await virshOrThrow(host.uri, ['pool-start', SHARED_POOL_NAME]);
  if (!/Autostart:\s+yes/.test(info.stdout))
    await virshOrThrow(host.uri, ['pool-autostart', SHARED_POOL_NAME]);
}
