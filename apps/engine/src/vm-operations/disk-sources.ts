import { DiskFormat, PoolVolumeSource, RbdDiskSource, StorageDomainType } from '@kelpie/shared-types';
import { DiskEntity } from '../disks/disk.entity';
import { parseMonitor } from '../storage-domains/rbd-connection';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { poolNameFor, volumeNameFor } from './vm-spec.builder';

/** Where the data of a disk that is no file is, as the VM opens it (the VM spec's `rbd` or `volume`). */
export type NetworkDiskSource = { rbd: RbdDiskSource } | { volume: PoolVolumeSource };

/** The libvirt volume of a LUN disk: its volume path records the LUN's volume name last. */
export const lunVolumeOf = (d: Pick<DiskEntity, 'volumePath'>) =>
  d.volumePath.slice(d.volumePath.lastIndexOf('/') + 1);

/**
 * The source of a disk on an rbd or iscsi domain; undefined for file domains (the VM opens its path).
 * An RBD image is opened by QEMU itself (libvirt has no `volume` disks on rbd pools) with the domain's
 * cephx user and the libvirt secret its activation defined on every host (`secretUuid`); a LUN is
 * the iscsi-direct pool's volume, which libvirt resolves with the pool's initiator and CHAP.
 */
export function networkSourceOf(
  d: Pick<DiskEntity, 'id' | 'format' | 'volumePath'>,
  sd: Pick<StorageDomainEntity, 'id' | 'type' | 'connection'>,
  secretUuid: string | null,
): NetworkDiskSource | undefined {
  if (sd.type === StorageDomainType.Iscsi)
    return { volume: { pool: poolNameFor(sd), volume: lunVolumeOf(d) } };
  if (sd.type !== StorageDomainType.Rbd) return undefined;
  const c = sd.connection;
  if (!secretUuid) throw new Error(`rbd storage domain ${sd.id} has no stored key`);
  return {
    rbd: {
      name: `${c.pool}/${volumeNameFor({ id: d.id, format: DiskFormat.Raw })}`,
      monitors: (c.monitors ?? []).map(parseMonitor),
      username: c.user!,
      secretUuid,
    },
  };
}
