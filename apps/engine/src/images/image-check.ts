import type { ImageInspection } from '@kelpie/shared-types';
import type { ImageFormat, ImageKind } from './image.entity';

/** Why an uploaded image is refused, or null when it may be used. */
export interface ImageRefusal {
  field: string;
  reason: string;
}

/**
 * The checks an uploaded image passes before anything may use it.
 * - An image that names another file (a qcow2 backing file or external data file) is refused,
 *   whatever the path: pointing at /etc/shadow or another VM's disk would hand its bytes to the
 *   uploader's guest. Uploads must be self-contained (`qemu-img convert` flattens a chain).
 * - The format qemu-img detects must be the one declared: a "raw" upload whose bytes look like a
 *   qcow2 header would be read as qcow2 by anything that probes it.
 * - An ISO must carry an ISO 9660 volume descriptor, and the checksum the uploader gave must match.
 */
export function refusalOf(
  i: ImageInspection,
  declared: { kind: ImageKind; format: ImageFormat; sha256: string | null },
): ImageRefusal | null {
  if (i.backingFile !== null)
    return {
      field: 'content',
      reason: `the image names a backing file (${i.backingFile}): upload a self-contained image`,
    };
  if (i.dataFile !== null)
    return { field: 'content', reason: `the image names an external data file (${i.dataFile})` };
  const expected = declared.format === 'iso' ? 'raw' : declared.format;
  if (i.format !== expected)
    return { field: 'format', reason: `declared ${declared.format} but the content is ${i.format}` };
  if (declared.kind === 'iso' && !i.iso9660)
    return { field: 'content', reason: 'not an ISO 9660 image (no CD001 volume descriptor)' };
  if (declared.sha256 && declared.sha256 !== i.sha256)
    return { field: 'sha256', reason: `the received bytes hash to ${i.sha256}` };
  return null;
}
