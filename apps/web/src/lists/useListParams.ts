import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ListFilter } from '../api/resources';

/** List filters kept in the URL (shareable, back button works). */
export function useListParams(names: readonly string[]) {
  const [params, setParams] = useSearchParams();
  const key = JSON.stringify(names.map((n) => [n, params.get(n) ?? '']));
  const filter = useMemo(() => {
    const f: ListFilter = {};
    for (const [n, v] of JSON.parse(key) as [string, string][]) if (v) f[n] = v;
    return f;
  }, [key]);
  const set = useCallback(
    (patch: Record<string, string | undefined>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { filter, set };
}
