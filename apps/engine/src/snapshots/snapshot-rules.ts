import { SnapshotType } from '@kelpie/shared-types';
import type { SnapshotEntity } from './snapshot.entity';

type SnapshotFacts = Pick<SnapshotEntity, 'id' | 'type' | 'createdAt'>;

/**
 * The external snapshot that keeps `snap` from being deleted, if any. An internal snapshot lives
 * inside the image that was active when it was taken; an external snapshot taken later put an
 * overlay on top of that image, and libvirt deletes internal snapshots only from the active image:
 * the delete fails on a running VM (QEMU does not find it there) and on a stopped one only drops
 * libvirt's record, leaving the snapshot's data in the base image. Merging the external snapshot
 * first lifts it.
 */
export function externalOnTopOf<S extends SnapshotFacts>(snap: SnapshotFacts, all: S[]): S | undefined {
  if (snap.type !== SnapshotType.Internal) return undefined;
  return all
    .filter((s) => s.type === SnapshotType.External && s.createdAt.getTime() > snap.createdAt.getTime())
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
}
