import type { Task } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { fetchItem, usePage } from '../api/hooks';
import { keys } from '../api/resources';
import { FINAL_TASK_STATUSES } from './taskText';

/** The newest task of `type` on an object, with its steps: the stream keeps its detail entry current;
 * it is polled every 3 s while it runs only as a fallback. */
export function useLatestTask(type: string, objectId: string): Task | undefined {
  const latest = usePage<Task>('tasks', { type, objectId }, 1);
  const first = latest.data?.items[0];
  return useQuery({
    queryKey: keys.detail('tasks', first?.id ?? ''),
    queryFn: () => fetchItem<Task>('tasks', first!.id),
    enabled: !!first,
    initialData: first,
    refetchInterval: (q) =>
      q.state.data && !FINAL_TASK_STATUSES.includes(q.state.data.status) ? 3000 : false,
  }).data;
}
