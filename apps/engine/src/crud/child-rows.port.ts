import type { EntityManager, EntityTarget } from 'typeorm';
import type { Named } from './inventory.service';

/**
 * Rows of a table that refer to an object being deleted (and so block it), as the table's owner
 * answers inside the delete's transaction. The owners sit above the parents they refer to (a host's
 * folder imports its cluster's), so a parent cannot import them: each owner's module provides its
 * port below, and the parent's service looks it up when a delete needs it.
 */
export abstract class ChildRows {
  /** Up to `take` rows whose `field` holds `parentId` (id and name, by name), and how many there are. */
  abstract referringTo(
    tx: EntityManager,
    field: string,
    parentId: string,
    take: number,
  ): Promise<[Named[], number]>;
}

/** The ports, one per owner of rows that block a delete. */
export abstract class ClusterRows extends ChildRows {}
export abstract class HostRows extends ChildRows {}
export abstract class VmRows extends ChildRows {}
export abstract class StorageDomainRows extends ChildRows {}
export abstract class NetworkRows extends ChildRows {}
export abstract class NicRows extends ChildRows {}
export abstract class DiskRows extends ChildRows {}

/** What an owner's repository answers for its port: its own rows whose `field` holds `parentId`. */
export function referringRows<E extends Named>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  field: string,
  parentId: string,
  take: number,
): Promise<[Named[], number]> {
  return tx.findAndCount<Named>(entity as EntityTarget<Named>, {
    select: { id: true, name: true },
    where: { [field]: parentId },
    order: { name: 'ASC' },
    take,
  });
}

/** An owner repository's `referringTo` over its own entity. */
export function rowsReferringTo<E extends Named>(entity: EntityTarget<E>): ChildRows['referringTo'] {
  return (tx, field, parentId, take) => referringRows(tx, entity, field, parentId, take);
}
