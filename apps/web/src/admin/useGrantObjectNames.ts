import type { GrantInfo, ObjectType } from '@kelpie/shared-types';
import { useQueries } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import { keys, RESOURCE_OF } from '../api/resources';

/** The names of the objects `grants` are made on (an inherited grant sits on an ancestor the page
 * does not show), read from their detail endpoints and shared with their pages' cache. Answers
 * `objectId → name` for those read so far. */
export function useGrantObjectNames(grants: readonly GrantInfo[] | undefined): ReadonlyMap<string, string> {
  const objects = new Map<string, ObjectType>();
  for (const g of grants ?? []) if (g.objectId) objects.set(g.objectId, g.objectType as ObjectType);
  const answers = useQueries({
    queries: [...objects].map(([id, type]) => ({
      queryKey: keys.detail(RESOURCE_OF[type], id),
      queryFn: () => apiGet<{ id: string; name: string }>(`/${RESOURCE_OF[type]}/${id}`),
      staleTime: 60_000,
    })),
  });
  return new Map(answers.flatMap((a) => (a.data ? [[a.data.id, a.data.name] as const] : [])));
}
