import { STORAGE_POOL_PREFIX } from '@kelpie/shared-types';

/** The libvirt pool of a storage domain on every host (ADR 0018): `kelpie-<domain uuid>`. */
export const poolNameFor = (sd: { id: string }) => `${STORAGE_POOL_PREFIX}${sd.id}`;
