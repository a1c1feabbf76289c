import type { PowerManagement, PowerManagementInput, PowerManagementTestResult } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, as, read, send } from '../api/client';
import { keys } from '../api/resources';
import { useApiMutation } from '../activity/useApiMutation';

const host = (id: string) => ({ params: { path: { id } } });
export const powerManagementKey = (hostId: string) => [...keys.detail('hosts', hostId), 'power-management'];

/** The host's BMC settings; null when none are set (the API's 404). */
export function usePowerManagement(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: powerManagementKey(hostId),
    queryFn: async () => {
      try {
        return await read(
          api.GET('/api/v1/hosts/{id}/power-management', host(hostId)),
          as<PowerManagement>(),
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled,
  });
}

/** What fencing did to this host, newest first (decisions, BMC calls, steps, results). */
export function useFencingHistory(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...powerManagementKey(hostId), 'history'],
    queryFn: async () => {
      const query = { objectId: hostId, sort: 'time:desc', limit: 200 };
      // Not refined to AuditEvent: the document still types `refs` as strings (the engine sends objects).
      const page = await read(api.GET('/api/v1/events', { params: { query } }));
      return page.items.filter((e) => e.type.startsWith('host.fence')).slice(0, 10);
    },
    enabled,
    refetchInterval: 30_000,
  });
}

export function useSavePowerManagement(hostId: string, hostName: string) {
  return useApiMutation<PowerManagementInput, PowerManagement>({
    label: () => `Set power management of ${hostName}`,
    send: (body) =>
      send(
        (c) => api.PUT('/api/v1/hosts/{id}/power-management', { ...host(hostId), body, ...c }),
        as<PowerManagement>(),
      ),
    invalidates: ['hosts'],
  });
}

export function useRemovePowerManagement(hostId: string, hostName: string) {
  return useApiMutation<void>({
    label: () => `Remove power management of ${hostName}`,
    send: () => send((c) => api.DELETE('/api/v1/hosts/{id}/power-management', { ...host(hostId), ...c })),
    invalidates: ['hosts'],
  });
}

export function useTestPowerManagement(hostId: string, hostName: string) {
  return useApiMutation<void, PowerManagementTestResult>({
    label: () => `Test power management of ${hostName}`,
    send: () =>
      send(
        (c) => api.POST('/api/v1/hosts/{id}/power-management/test', { ...host(hostId), ...c }),
        as<PowerManagementTestResult>(),
      ),
    invalidates: [],
  });
}
