import { LOCKSPACE_DIR } from '@kelpie/shared-types';
import type { ClusterRepository } from '../clusters/cluster.repository';
import type { StorageDomainRepository } from '../storage-domains/storage-domain.repository';

/** The lockspace of a host's libvirt lock manager (`lock-manager.sh`'s argument; null: `direct`), the
 * same for a host enrolled over SSH and one deployed from the Debian package (its credentials carry it).
 * The lease files go to the oldest shared directory domain of the host's datacenter: one lockspace for
 * every host there, so a disk's lease is the same file wherever the disk is opened (ADR 0053). NFS
 * domains are mounted by libvirt only once their pool starts, after enrollment: their disks get leases
 * on the files themselves (fcntl locks, which NFS carries between hosts). */
export async function datacenterLockspace(
  clusters: Pick<ClusterRepository, 'byId'>,
  storageDomains: Pick<StorageDomainRepository, 'sharedDirectoryDomains'>,
  clusterId: string,
): Promise<string | null> {
  const cluster = await clusters.byId(clusterId);
  const [shared] = await storageDomains.sharedDirectoryDomains(cluster.datacenterId);
  return shared ? `${shared.path.replace(/\/+$/, '')}/${LOCKSPACE_DIR}` : null;
}
