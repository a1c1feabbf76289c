import type { MigrationTargets, Page, Vm, VmMigration } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../api/client';

/** Where the VM could go: the engine's pre-checks host by host (`GET /vms/{id}/migrate/targets`). */
export function useMigrationTargets(vm: Pick<Vm, 'id'>) {
  return useQuery({
    queryKey: ['vms', 'migrate-targets', vm.id],
    queryFn: () => apiGet<MigrationTargets>(`/vms/${vm.id}/migrate/targets`),
    staleTime: 0,
    retry: false,
  });
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
