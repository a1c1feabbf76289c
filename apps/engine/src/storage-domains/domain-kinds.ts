import { StorageDomainType } from '@kelpie/shared-types';

/** Domain types whose volumes are files in a directory every serving host has (`path`). The others
 * (iSCSI LUNs, RBD images) are reached over the network through the pool activation made: their
 * `path` only records where they are, and is no directory to look for on a host. */
const FILE_TYPES: ReadonlySet<StorageDomainType> = new Set([
  StorageDomainType.Dir,
  StorageDomainType.Local,
  StorageDomainType.Nfs,
]);

export const isFileDomain = (sd: { type: StorageDomainType }) => FILE_TYPES.has(sd.type);

/** Types whose location is a connection, never an admin-given path. */
export const hasNoPath = (type: StorageDomainType) =>
  type === StorageDomainType.Iscsi || type === StorageDomainType.Rbd;
