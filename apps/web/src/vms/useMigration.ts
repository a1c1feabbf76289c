import type { MigrationTargets, Page, Vm, VmMigration } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read } from '../api/client';

/** Where the VM could go: the engine's pre-checks host by host (`GET /vms/{id}/migrate/targets`). */
export function useMigrationTargets(vm: Pick<Vm, 'id'>) {
  return useQuery({
    queryKey: ['vms', 'migrate-targets', vm.id],
    queryFn: () =>
      read(
        api.GET('/api/v1/vms/{id}/migrate/targets', { params: { path: { id: vm.id } } }),
        as<MigrationTargets>(),
      ),
    staleTime: 0,
    retry: false,
  });
}

const RUNNING_POLL_MS = 1000;

/** A migration row (its id is the vm.migrate task id), polled while it runs for the live figures. */
export function useMigration(id: string | undefined) {
  return useQuery({
    queryKey: ['migrations', 'detail', id ?? ''],
    queryFn: () =>
      read(api.GET('/api/v1/migrations/{id}', { params: { path: { id: id! } } }), as<VmMigration>()),
    enabled: !!id,
    refetchInterval: (q) => (!q.state.data || q.state.data.status === 'running' ? RUNNING_POLL_MS : false),
  });
}

/** The VM's running migration, if any (for the VM page's progress panel). */
export function useRunningMigration(vmId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['migrations', 'running', vmId],
    queryFn: async () =>
      (
        await read(
          api.GET('/api/v1/migrations', { params: { query: { vmId, status: 'running', limit: 1 } } }),
          as<Page<VmMigration>>(),
        )
      ).items[0] ?? null,
    enabled,
    refetchInterval: enabled ? 2000 : false,
  });
}
