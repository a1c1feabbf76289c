import type { Page } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from './client';
import { keys, normalizeFilter, type ListFilter, type Resource } from './resources';

export function fetchPage<T>(
  resource: Resource,
  filter: ListFilter,
  offset: number,
  limit: number,
): Promise<Page<T>> {
  return apiGet<Page<T>>(`/${resource}${queryString({ ...normalizeFilter(filter), offset, limit })}`);
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
    queryFn: () => apiGet<T>(`/${resource}/${id}`),
    enabled: !!id,
    retry: (n, err) => n < 1 && !(err as { status?: number }).status,
  });
}
