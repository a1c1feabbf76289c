import { DiskFormat } from '@kelpie/shared-types';

export { poolNameFor as domainPool } from '../storage-domains/pool-name';

/** The volume name every disk has (`<disk id>.qcow2|img`), which the provisioner, hot-plug and delete
 * derive from the disk; vm-operations' `volumeNameFor` is the same rule (images/ may not import it:
 * vm-operations imports images/ for CD-ROMs by ISO id). */
export const diskVolumeName = (d: { id: string; format: string }) =>
  `${d.id}.${d.format === DiskFormat.Raw ? 'img' : 'qcow2'}`;
