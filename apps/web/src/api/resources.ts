import type { ApiPaths, ObjectType } from '@kelpie/shared-types';

/** API collections the portal reads (path segment under /api/v1). */
export type Resource =
  | 'datacenters'
  | 'clusters'
  | 'hosts'
  | 'vms'
  | 'storage-domains'
  | 'networks'
  | 'disks'
  | 'nics'
  | 'snapshots'
  | 'tasks'
  | 'events';

export const RESOURCE_OF: Record<ObjectType, Resource> = {
  datacenter: 'datacenters',
  cluster: 'clusters',
  host: 'hosts',
  storage_domain: 'storage-domains',
  network: 'networks',
  vm: 'vms',
  disk: 'disks',
  nic: 'nics',
  snapshot: 'snapshots',
  task: 'tasks',
};

/** How each list sorts by default and which field `q` searches (so live inserts land in the right place). */
export const LIST_DEFAULTS: Record<Resource, { sort: string; order: 'asc' | 'desc'; search: string }> = {
  datacenters: { sort: 'name', order: 'asc', search: 'name' },
  clusters: { sort: 'name', order: 'asc', search: 'name' },
  hosts: { sort: 'name', order: 'asc', search: 'name' },
  vms: { sort: 'name', order: 'asc', search: 'name' },
  'storage-domains': { sort: 'name', order: 'asc', search: 'name' },
  networks: { sort: 'name', order: 'asc', search: 'name' },
  disks: { sort: 'name', order: 'asc', search: 'name' },
  nics: { sort: 'name', order: 'asc', search: 'name' },
  snapshots: { sort: 'createdAt', order: 'asc', search: 'name' },
  tasks: { sort: 'createdAt', order: 'desc', search: 'type' },
  events: { sort: 'time', order: 'desc', search: 'message' },
};

/** A collection's list and item paths in the engine's API (checked against the generated paths). */
export const LIST_PATH = {
  datacenters: '/api/v1/datacenters',
  clusters: '/api/v1/clusters',
  hosts: '/api/v1/hosts',
  vms: '/api/v1/vms',
  'storage-domains': '/api/v1/storage-domains',
  networks: '/api/v1/networks',
  disks: '/api/v1/disks',
  nics: '/api/v1/nics',
  snapshots: '/api/v1/snapshots',
  tasks: '/api/v1/tasks',
  events: '/api/v1/events',
} as const satisfies Record<Resource, keyof ApiPaths>;
export const ITEM_PATH = {
  datacenters: '/api/v1/datacenters/{id}',
  clusters: '/api/v1/clusters/{id}',
  hosts: '/api/v1/hosts/{id}',
  vms: '/api/v1/vms/{id}',
  'storage-domains': '/api/v1/storage-domains/{id}',
  networks: '/api/v1/networks/{id}',
  disks: '/api/v1/disks/{id}',
  nics: '/api/v1/nics/{id}',
  snapshots: '/api/v1/snapshots/{id}',
  tasks: '/api/v1/tasks/{id}',
  events: '/api/v1/events/{id}',
} as const satisfies Record<Resource, keyof ApiPaths>;

type QueryValue = string | number | boolean | undefined | null;
/** Filters + sort + search of a list, without paging. */
export type ListFilter = Record<string, QueryValue>;

/**
 * Query keys. Every list window is `[resource, 'page', filter, offset, limit]` so the live stream can
 * find and patch every cached window of a resource; totals-only queries are `[resource, 'count', filter]`.
 */
export const keys = {
  all: (r: Resource) => [r] as const,
  detail: (r: Resource, id: string) => [r, 'detail', id] as const,
  pages: (r: Resource) => [r, 'page'] as const,
  page: (r: Resource, filter: ListFilter, offset: number, limit: number) =>
    [r, 'page', normalizeFilter(filter), offset, limit] as const,
  counts: (r: Resource) => [r, 'count'] as const,
  count: (r: Resource, filter: ListFilter) => [r, 'count', normalizeFilter(filter)] as const,
};

/** Drops empty values so `{status: ''}` and `{}` share a cache entry. */
export function normalizeFilter(filter: ListFilter): ListFilter {
  const out: ListFilter = {};
  for (const k of Object.keys(filter).sort()) {
    const v = filter[k];
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  return out;
}
