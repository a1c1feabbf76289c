import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { ListFilter } from '../api/resources';

/** What a table needs from its rows: the server-paged lists (`usePagedList`) and the small lists
 * the API answers whole (`useArrayRows`) both provide it. */
export interface RowSource<T> {
  total: number | undefined;
  totalEstimated?: boolean;
  rowAt(index: number): T | undefined;
  setRange(r: { first: number; last: number }): void;
  isFetching: boolean;
  error: unknown;
  /** Changes with the filter/sort (views scroll back to the top). */
  filterKey: string;
}

/** A list the API answers in one piece (users, roles, tokens, grants): searched and sorted here,
 * shown by the same table as the paged lists. `search` picks the text `q` matches. */
export function useArrayRows<T extends { id: string }>(
  queryKey: readonly unknown[],
  fetch: () => Promise<T[]>,
  filter: ListFilter,
  search: (row: T) => string,
  /** Reread this often (lists not on the live stream). */
  refetchMs?: number,
): RowSource<T> & { rows: T[] | undefined } {
  const q = useQuery({ queryKey, queryFn: fetch, refetchInterval: refetchMs });
  const needle = typeof filter.q === 'string' ? filter.q.toLowerCase() : '';
  const rows = useMemo(
    () => q.data?.filter((r) => !needle || search(r).toLowerCase().includes(needle)),
    // `search` is a pure projection given inline by the caller: the data and the text decide.
    [q.data, needle],
  );
  const rowAt = useCallback((i: number) => rows?.[i], [rows]);
  const setRange = useCallback(() => undefined, []);
  return {
    rows,
    total: rows?.length,
    rowAt,
    setRange,
    isFetching: q.isFetching,
    error: q.error,
    filterKey: needle,
  };
}
