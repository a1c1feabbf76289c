import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { DiskEntity } from '../disks/disk.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';

/** Asks a host which of these paths it lacks (`host.check-resources`). */
export type MissingPaths = (paths: string[]) => Promise<string[]>;

type DiskFacts = Pick<DiskEntity, 'id' | 'name' | 'volumePath' | 'provisionedAt' | 'storageDomainId'> &
  Partial<Pick<DiskEntity, 'activeImagePath'>>;
type DomainFacts = Pick<StorageDomainEntity, 'id' | 'name' | 'path'>;

/**
 * A disk whose volume was ever created holds data: if the volume is gone (lab storage wiped, file
 * deleted, storage not mounted) the VM must not start, and the volume must never be re-created empty
 * in its place — that would boot the VM from a blank disk and hide the loss. Only never-provisioned
 * disks get a new volume. The overlay an external snapshot put on a volume is judged the same way.
 * Throws 422 naming every missing disk and its storage domain.
 *
 * A storage domain directory the host lacks says nothing about its volumes (the scheduler avoids such
 * hosts), so only disks whose directory the host has are judged.
 */
export async function assertProvisionedVolumesExist(
  vmName: string,
  disks: DiskFacts[],
  domains: DomainFacts[],
  missingPaths: MissingPaths,
): Promise<void> {
  const provisioned = disks.filter((d) => d.provisionedAt !== null);
  if (!provisioned.length) return;
  const byId = new Map(domains.map((sd) => [sd.id, sd]));
  const dirs = [...new Set(provisioned.map((d) => byId.get(d.storageDomainId)?.path).filter(isString))];
  const missing = new Set(await missingPaths([...dirs, ...provisioned.flatMap(imagesOf)]));
  const lost = provisioned.flatMap((d) => {
    const dir = byId.get(d.storageDomainId)?.path;
    const gone = dir !== undefined && !missing.has(dir) && imagesOf(d).find((p) => missing.has(p));
    return gone ? [{ ...d, volumePath: gone }] : [];
  });
  if (!lost.length) return;
  const what = lost
    .map((d) => `disk ${d.name} (${d.volumePath}) on storage domain ${byId.get(d.storageDomainId)!.name}`)
    .join(', ');
  throw new DomainError(
    ErrorCode.Unprocessable,
    `VM ${vmName} cannot start: the volume of ${what} is missing. It held data and is not re-created ` +
      `empty; restore the volume file, or detach or delete the disk.`,
    lost.flatMap((d) => {
      const sd = byId.get(d.storageDomainId)!;
      return [
        {
          reason: `volume ${d.volumePath} is missing`,
          ref: { type: ObjectType.Disk, id: d.id, name: d.name },
        },
        {
          reason: `holds the missing volume of disk ${d.name}`,
          ref: { type: ObjectType.StorageDomain, id: sd.id, name: sd.name },
        },
      ];
    }),
  );
}

/** The files a disk's data lives in: its volume, and the overlay on it if any. */
const imagesOf = (d: DiskFacts) => [d.volumePath, ...(d.activeImagePath ? [d.activeImagePath] : [])];

const isString = (x: string | undefined): x is string => typeof x === 'string';
