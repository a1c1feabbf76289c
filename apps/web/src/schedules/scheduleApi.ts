import type { CreateScheduleRequest, Schedule, ScheduleDetail } from '@kelpie/shared-types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, read, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

/** Schedules are not on the live stream (a run is a task, which is): lists poll while shown. */
export const SCHEDULES_KEY = ['schedules'] as const;
const POLL_MS = 5_000;

export const fetchSchedules = (): Promise<Schedule[]> => read(api.GET('/api/v1/schedules'));

export function useScheduleDetail(id: string) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, id],
    queryFn: (): Promise<ScheduleDetail> =>
      read(api.GET('/api/v1/schedules/{id}', { params: { path: { id } } })),
    refetchInterval: POLL_MS,
  });
}

export const SCHEDULE_POLL_MS = POLL_MS;

/** POST /schedules as the portal's mutation (activity panel, the schedule lists refreshed). */
export function useCreateSchedule(label: string) {
  const qc = useQueryClient();
  return useApiMutation<CreateScheduleRequest, Schedule>({
    label: () => label,
    send: async (body) => {
      const res = await send((c) => api.POST('/api/v1/schedules', { body, ...c }));
      void qc.invalidateQueries({ queryKey: SCHEDULES_KEY });
      return res;
    },
    invalidates: [],
  });
}

/** DELETE /schedules/{id}: it never runs again (its past runs stay). */
export function useCancelSchedule() {
  const qc = useQueryClient();
  return useApiMutation<Pick<Schedule, 'id' | 'name' | 'action'>, Schedule>({
    label: (s) => `Cancel schedule ${s.name ?? s.action}`,
    send: async (s) => {
      const res = await send((c) =>
        api.DELETE('/api/v1/schedules/{id}', { params: { path: { id: s.id } }, ...c }),
      );
      void qc.invalidateQueries({ queryKey: SCHEDULES_KEY });
      return res;
    },
    invalidates: [],
  });
}
