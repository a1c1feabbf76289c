import type { Page } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, read } from './client';
import { ITEM_PATH, keys, LIST_PATH, normalizeFilter, type ListFilter, type Resource } from './resources';

/**
 * The list and item reads shared by every collection. The path is one of the generated API's (the
 * tables in resources.ts are checked against it); openapi-fetch types one literal path per call, so
 * this single generic reader names the answer type itself.
 */
const getAny = api.GET as unknown as (
  path: string,
  init: { params: { path?: { id: string }; query?: ListFilter } },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export async function fetchPage<T>(
  resource: Resource,
  filter: ListFilter,
  offset: number,
  limit: number,
): Promise<Page<T>> {
  const query = { ...normalizeFilter(filter), offset, limit };
  return (await read(getAny(LIST_PATH[resource], { params: { query } }))) as Page<T>;
}

export async function fetchItem<T>(resource: Resource, id: string): Promise<T> {
  return (await read(getAny(ITEM_PATH[resource], { params: { path: { id } } }))) as T;
}

/** One window of a list (small lists: the whole thing fits in `limit`). */
export function usePage<T>(resource: Resource, filter: ListFilter, limit = 50, offset = 0, enabled = true) {
  return useQuery({
    queryKey: keys.page(resource, filter, offset, limit),
    queryFn: () => fetchPage<T>(resource, filter, offset, limit),
    enabled,
  });
}

/** Only the number of matches (`limit=1`); invalidated, never patched, by the live stream. */
export function useCount(resource: Resource, filter: ListFilter = {}) {
  return useQuery({
    queryKey: keys.count(resource, filter),
    queryFn: async () => (await fetchPage<unknown>(resource, filter, 0, 1)).total,
    staleTime: 30_000,
  });
}

export function useDetail<T>(resource: Resource, id: string | undefined) {
  return useQuery({
    queryKey: keys.detail(resource, id ?? ''),
    queryFn: () => fetchItem<T>(resource, id!),
    enabled: !!id,
    retry: (n, err) => n < 1 && !(err as { status?: number }).status,
  });
}
