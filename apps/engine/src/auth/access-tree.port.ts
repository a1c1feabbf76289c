import type { GrantObjectType } from '@kelpie/shared-types';
import { Any, type FindManyOptions, type FindOneOptions, type Repository } from 'typeorm';
import type { ResolvableType } from './access.decorator';

/** One object of the tree a grant can sit on. */
export interface TreeRef {
  type: GrantObjectType;
  id: string;
}

/** An object whose place in the grant tree is asked of its owner. */
export type ChainType = Exclude<ResolvableType, 'system'>;

/** Where an object sits in the grant tree, as its owner's row says. */
export interface AccessLink {
  /** The tree objects the row names, nearest first: the object itself when grants can sit on it, and
   * the parents the row stores (a VM stores its cluster and datacenter). */
  refs: TreeRef[];
  /** The object whose chain continues this one, asked of that object's owner (a host's cluster, a
   * disk's VM, a task's target). A type the tree does not know ends the chain as "not found". */
  up?: { type: string; id: string };
}

/**
 * An owner's part of the grant tree. The owners sit above auth/ (they use its guards), so auth cannot
 * import their repositories: each owner's module provides its port below, and AccessRepository looks
 * them up. One statement per owner and check.
 */
export abstract class AccessTreePart {
  /** Where the object `id` sits, or null when it does not exist. */
  abstract accessLink(id: string): Promise<AccessLink | null>;
}

/** A kind the `view` grants are pushed down to (see AccessRepository.visibleIds). */
export abstract class AccessTreeNode extends AccessTreePart {
  /** Ids of the rows in `ids` or under one of the parents (the kinds the table stores). */
  abstract visibleUnder(
    ids: string[],
    under: { cluster: string[]; datacenter: string[] },
  ): Promise<Set<string>>;
}

/** The ports, one per owner. */
export abstract class DatacenterAccess extends AccessTreePart {}
export abstract class ClusterAccess extends AccessTreeNode {}
export abstract class HostAccess extends AccessTreeNode {}
export abstract class StorageDomainAccess extends AccessTreeNode {}
export abstract class NetworkAccess extends AccessTreeNode {}
export abstract class VmAccess extends AccessTreeNode {}
export abstract class DiskAccess extends AccessTreePart {}
export abstract class NicAccess extends AccessTreePart {}
export abstract class SnapshotAccess extends AccessTreePart {}
export abstract class MigrationAccess extends AccessTreePart {}
export abstract class TaskAccess extends AccessTreePart {}

/** The refs of a row's tree columns, nearest first, leaving out the empty ones. */
export function treeRefs(...pairs: [GrantObjectType, string | null | undefined][]): TreeRef[] {
  return pairs.flatMap(([type, id]) => (id ? [{ type, id }] : []));
}

/** A column of an owner's row that names a parent in the tree, and the parent's kind. */
type ParentColumn<E> = [GrantObjectType, keyof E & string];

/** An owner's accessLink for a row that names its tree parents itself: the row as `kind`, then the
 * parents in `columns`, nearest first (a VM: its cluster, then its datacenter). */
export async function linkOfRow<E extends { id: string }>(
  rows: Repository<E>,
  id: string,
  kind: GrantObjectType,
  columns: ParentColumn<E>[],
): Promise<AccessLink | null> {
  const select = Object.fromEntries([['id', true], ...columns.map(([, c]) => [c, true])]);
  const row = await rows.findOne({ select, where: { id } } as FindOneOptions<E>);
  if (!row) return null;
  return {
    refs: treeRefs(
      [kind, row.id],
      ...columns.map(([t, c]): [GrantObjectType, string] => [t, row[c] as string]),
    ),
  };
}

/** An owner's visibleUnder: the ids of its rows in `ids` or whose column holds one of the parents
 * given for it (`[column, parent ids]`). */
export async function visibleRows<E extends { id: string }>(
  rows: Repository<E>,
  ids: string[],
  parents: [keyof E & string, string[]][],
): Promise<Set<string>> {
  const where = [{ id: Any(ids) }, ...parents.map(([column, of]) => ({ [column]: Any(of) }))];
  const found = await rows.find({ select: { id: true }, where } as FindManyOptions<E>);
  return new Set(found.map((r) => r.id));
}
