/** Shapes common to every API resource. Timestamps are ISO 8601 strings (UTC) on the wire. */

/** Kinds of objects the API manages; used in references, events, tasks and the live stream. */
export const ObjectType = {
  DataCenter: 'datacenter',
  Cluster: 'cluster',
  Host: 'host',
  StorageDomain: 'storage_domain',
  Network: 'network',
  Vm: 'vm',
  Disk: 'disk',
  Nic: 'nic',
  Snapshot: 'snapshot',
  Task: 'task',
} as const;
export type ObjectType = (typeof ObjectType)[keyof typeof ObjectType];

/** A pointer to one object; `name` is informative (the name at the time the reference was made). */
export interface ObjectRef {
  type: ObjectType;
  id: string;
  name?: string;
}

/** One page of a list: `total` counts every match of the filters, not just this page. */
export interface Page<T> {
  items: T[];
  /** Matches over all pages; an estimate when `totalEstimated`. */
  total: number;
  limit: number;
  offset: number;
  /** true: an unfiltered list of a large table, whose `total` is Postgres' row estimate rather than an
   * exact count (counting every row on each page costs more than the page itself). */
  totalEstimated?: boolean;
}

export type SortOrder = 'asc' | 'desc';

/** Query parameters every list endpoint accepts. `sort` is `field` or `field:asc|desc`. */
export interface ListParams {
  limit?: number;
  offset?: number;
  sort?: string;
  /** Case-insensitive substring of the name. */
  q?: string;
}

export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 500;

/** Names of every inventory object: 1–64 of letters, digits, "_", "." and "-". */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const NAME_MAX_LENGTH = 64;
export const DESCRIPTION_MAX_LENGTH = 1024;
