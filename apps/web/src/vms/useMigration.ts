import type { Host, MigrationTargets, Page, Vm, VmMigration } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet, queryString } from '../api/client';

/**
 * Where the VM could go: the engine's pre-checks host by host. An engine without that endpoint (404 on
 * the route) falls back to the cluster's hosts, where only a host's status can rule it out.
 */
export function useMigrationTargets(vm: Pick<Vm, 'id' | 'clusterId' | 'hostId'>) {
  return useQuery({
    queryKey: ['vms', 'migrate-targets', vm.id],
    queryFn: async (): Promise<MigrationTargets & { fallback?: boolean }> => {
      try {
        return await apiGet<MigrationTargets>(`/vms/${vm.id}/migrate/targets`);
      } catch (err) {
        if (!isMissingRoute(err)) throw err;
        const hosts = await apiGet<Page<Host>>(
          `/hosts${queryString({ clusterId: vm.clusterId, limit: 500 })}`,
        );
        return fallbackTargets(vm, hosts.items);
      }
    },
    staleTime: 0,
    retry: false,
  });
}

/** A 404 about the route itself (an older engine), not about the VM. */
function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && /^Cannot GET/.test(err.message);
}

export function fallbackTargets(
  vm: Pick<Vm, 'id' | 'hostId'>,
  hosts: Host[],
): MigrationTargets & { fallback: boolean } {
  return {
    vmId: vm.id,
    sourceHostId: vm.hostId ?? '',
    vmProblems: [],
    targets: hosts
      .filter((h) => h.id !== vm.hostId)
      .map((h) => ({
        hostId: h.id,
        hostName: h.name,
        hostStatus: h.status,
        eligible: h.status === 'up',
        problems: h.status === 'up' ? [] : [`host is ${h.status.replace(/_/g, ' ')}`],
        freeMemoryMiB: h.load ? Math.floor(h.load.memFreeKiB / 1024) : null,
        recommended: false,
      })),
    recommendation: 'the scheduler picks the host with the most free memory',
    fallback: true,
  };
}

const RUNNING_POLL_MS = 1000;

/** A migration row (its id is the vm.migrate task id), polled while it runs for the live figures. */
export function useMigration(id: string | undefined) {
  return useQuery({
    queryKey: ['migrations', 'detail', id ?? ''],
    queryFn: () => apiGet<VmMigration>(`/migrations/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (!q.state.data || q.state.data.status === 'running' ? RUNNING_POLL_MS : false),
  });
}

/** The VM's running migration, if any (for the VM page's progress panel). */
export function useRunningMigration(vmId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['migrations', 'running', vmId],
    queryFn: async () =>
      (await apiGet<Page<VmMigration>>(`/migrations${queryString({ vmId, status: 'running', limit: 1 })}`))
        .items[0] ?? null,
    enabled,
    refetchInterval: enabled ? 2000 : false,
  });
}
