import type {
  AuditEvent,
  PowerManagement,
  PowerManagementInput,
  PowerManagementTestResult,
} from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet, apiSend, queryString } from '../api/client';
import { keys } from '../api/resources';
import { useApiMutation } from '../activity/useApiMutation';

const path = (hostId: string) => `/hosts/${hostId}/power-management`;
export const powerManagementKey = (hostId: string) => [...keys.detail('hosts', hostId), 'power-management'];

/** The host's BMC settings; null when none are set (the API's 404). */
export function usePowerManagement(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: powerManagementKey(hostId),
    queryFn: async () => {
      try {
        return await apiGet<PowerManagement>(path(hostId));
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
      const page = await apiGet<{ items: AuditEvent[] }>(
        `/events${queryString({ objectId: hostId, sort: 'time:desc', limit: 200 })}`,
      );
      return page.items.filter((e) => e.type.startsWith('host.fence')).slice(0, 10);
    },
    enabled,
    refetchInterval: 30_000,
  });
}

export function useSavePowerManagement(hostId: string, hostName: string) {
  return useApiMutation<PowerManagementInput, PowerManagement>({
    label: () => `Set power management of ${hostName}`,
    send: (body) => apiSend('PUT', path(hostId), body),
    invalidates: ['hosts'],
  });
}

export function useRemovePowerManagement(hostId: string, hostName: string) {
  return useApiMutation<void>({
    label: () => `Remove power management of ${hostName}`,
    send: () => apiSend('DELETE', path(hostId)),
    invalidates: ['hosts'],
  });
}

export function useTestPowerManagement(hostId: string, hostName: string) {
  return useApiMutation<void, PowerManagementTestResult>({
    label: () => `Test power management of ${hostName}`,
    send: () => apiSend('POST', `${path(hostId)}/test`),
    invalidates: [],
  });
}
