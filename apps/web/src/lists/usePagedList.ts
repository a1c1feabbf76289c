import type { Page } from '@kelpie/shared-types';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchPage } from '../api/hooks';
import { keys, normalizeFilter, type ListFilter, type Resource } from '../api/resources';
import { windowsFor } from './windows';

export const DEFAULT_PAGE_SIZE = 100;

export interface RowRange {
  first: number;
  last: number;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    if (ms <= 0) {
      setV(value);
      return;
    }
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return ms <= 0 ? value : v;
}

/**
 * A server-side list read in `limit`/`offset` windows: the caller reports the rows on screen with
 * `setRange` and only the windows covering them (plus a margin) are fetched. Rows of windows not
 * loaded yet read as undefined (placeholders). The scroll position is debounced so flinging the
 * scrollbar across 50,000 rows does not request every window on the way.
 */
export function usePagedList<T extends { id: string }>(
  resource: Resource,
  filter: ListFilter,
  { pageSize = DEFAULT_PAGE_SIZE, debounceMs = 150 }: { pageSize?: number; debounceMs?: number } = {},
) {
  const qc = useQueryClient();
  const norm = useMemo(() => normalizeFilter(filter), [filter]);
  const normKey = JSON.stringify(norm);
  const [range, setRangeState] = useState<RowRange & { key: string }>({ first: 0, last: 40, key: normKey });
  const debounced = useDebounced(range, debounceMs);
  // A new filter or sort starts from the top, without waiting for the debounce.
  const settled = debounced.key === normKey ? debounced : { first: 0, last: 40 };

  const head = useQuery({
    queryKey: keys.page(resource, norm, 0, pageSize),
    queryFn: () => fetchPage<T>(resource, norm, 0, pageSize),
  });
  // An estimated total is corrected by the windows of this list read so far (the query cache): the
  // server answers the exact total where the list ends, and at least offset + rows past the estimate.
  const reconciled = head.data?.totalEstimated
    ? reconcileTotal(
        head.data.total,
        qc
          .getQueriesData<Page<T>>({
            queryKey: keys.pages(resource),
            predicate: (q) => JSON.stringify(q.queryKey[2]) === normKey && q.queryKey[4] === pageSize,
          })
          .flatMap(([, page]) => (page ? [page] : [])),
      )
    : undefined;
  const total = reconciled?.total ?? head.data?.total;
  const offsets = windowsFor(settled.first, settled.last, pageSize, total, Math.floor(pageSize / 4)).filter(
    (o) => o !== 0,
  );
  const windows = useQueries({
    queries: offsets.map((offset) => ({
      queryKey: keys.page(resource, norm, offset, pageSize),
      queryFn: () => fetchPage<T>(resource, norm, offset, pageSize),
      staleTime: 30_000,
    })),
  });

  const version = head.dataUpdatedAt + windows.reduce((sum, w) => sum + w.dataUpdatedAt, 0);
  const rowAt = useCallback(
    (index: number): T | undefined => {
      void version;
      const offset = Math.floor(index / pageSize) * pageSize;
      const page = qc.getQueryData<Page<T>>(keys.page(resource, norm, offset, pageSize));
      return page?.items[index - offset];
    },
    // `version` changes whenever a window's data does, so rows are re-read.
    [qc, resource, norm, pageSize, version],
  );

  const setRange = useCallback(
    (r: RowRange) => {
      setRangeState((prev) =>
        prev.first === r.first && prev.last === r.last && prev.key === normKey
          ? prev
          : { ...r, key: normKey },
      );
    },
    [normKey],
  );

  const error = head.error ?? windows.find((w) => w.error)?.error ?? null;
  return {
    total,
    /** The server estimated `total` (an unfiltered list of a large table) and no window read has
     * found the list's end yet. */
    totalEstimated: reconciled?.exact === false,
    rowAt,
    setRange,
    range,
    isLoading: head.isLoading,
    isFetching: head.isFetching || windows.some((w) => w.isFetching),
    error,
    offsets: [0, ...offsets],
    /** Changes with the filter/sort (views scroll back to the top). */
    filterKey: normKey,
    refetch: () => qc.invalidateQueries({ queryKey: keys.pages(resource) }),
  };
}

/** The best total known from the first page's estimate and the windows read since: the smallest
 * exact total any window reported (where the list ends), else the largest estimate. */
export function reconcileTotal(
  estimate: number,
  pages: Pick<Page<unknown>, 'total' | 'totalEstimated'>[],
): { total: number; exact: boolean } {
  const exact = pages.filter((p) => !p.totalEstimated).map((p) => p.total);
  if (exact.length) return { total: Math.min(...exact), exact: true };
  return { total: Math.max(estimate, ...pages.map((p) => p.total)), exact: false };
}
