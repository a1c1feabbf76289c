import { useArrayRows } from '../lists/rowSource';
import { useListParams } from '../lists/useListParams';
import { useAdminRefresh } from './adminApi';

/** What an identity admin page starts from: its search in the URL (`q`), its list read whole and
 * filtered by `search`'s text of each row, and the refresh of the admin lists after a change. */
export function useAdminList<T extends { id: string }>(
  queryKey: readonly unknown[],
  fetch: () => Promise<T[]>,
  search: (row: T) => string,
) {
  const { filter, set } = useListParams(['q']);
  const rows = useArrayRows(queryKey, fetch, filter, search);
  return { filter, set, rows, refresh: useAdminRefresh() };
}
