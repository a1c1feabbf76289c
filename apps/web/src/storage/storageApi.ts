import type { StorageDomain, StorageDomainHostStatus, StorageDomainStatus } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, as, read, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import type { StorageBody } from './storageForm';

/** How each host of the datacenter sees the domain (`GET /storage-domains/{id}/hosts`); the list's
 * usage column and the hosts dialog share it. */
export function useStorageHosts(id: string, refetchMs = 10_000) {
  return useQuery({
    queryKey: ['storage-domains', id, 'hosts'],
    queryFn: () =>
      read(
        api.GET('/api/v1/storage-domains/{id}/hosts', { params: { path: { id } } }),
        as<StorageDomainHostStatus[]>(),
      ),
    refetchInterval: refetchMs,
  });
}

export interface StorageUsage {
  activeHosts: number;
  hosts: number;
  /** The hosts where the pool fails, by name. */
  failing: string[];
  /** Of the active host with the least free space (a local domain differs host by host). */
  capacityBytes: number | null;
  availableBytes: number | null;
}

export function storageUsage(rows: readonly StorageDomainHostStatus[]): StorageUsage {
  const active = rows.filter((r) => r.status === 'active');
  const measured = active.filter((r) => r.capacityBytes !== null && r.availableBytes !== null);
  const tightest = measured.sort((a, b) => a.availableBytes! - b.availableBytes!)[0];
  return {
    activeHosts: active.length,
    hosts: rows.length,
    failing: rows.filter((r) => r.status === 'failed').map((r) => r.hostName),
    capacityBytes: tightest?.capacityBytes ?? null,
    availableBytes: tightest?.availableBytes ?? null,
  };
}

export type StorageStep = 'attach' | 'activate' | 'maintenance' | 'detach' | 'delete';

/** Each lifecycle step and the statuses it starts from (the engine refuses the others with 409). */
export const STORAGE_STEPS: { step: StorageStep; label: string; from: StorageDomainStatus[] }[] = [
  { step: 'attach', label: 'Attach', from: ['detached'] },
  { step: 'activate', label: 'Activate', from: ['inactive', 'maintenance', 'unknown'] },
  { step: 'maintenance', label: 'Maintenance', from: ['active', 'degraded'] },
  { step: 'detach', label: 'Detach', from: ['inactive', 'maintenance', 'unknown'] },
  { step: 'delete', label: 'Delete', from: ['detached', 'inactive', 'maintenance'] },
];

/** A lifecycle step (or the delete) of a storage domain, with its task in the activity panel. */
export function useStorageStep(sd: Pick<StorageDomain, 'id' | 'name'>) {
  return useApiMutation<StorageStep>({
    label: (step) => `${STORAGE_STEPS.find((s) => s.step === step)?.label ?? step} ${sd.name}`,
    send: (step) => {
      const params = { params: { path: { id: sd.id } } };
      switch (step) {
        case 'delete':
          return send((c) => api.DELETE('/api/v1/storage-domains/{id}', { ...params, ...c }));
        case 'attach':
          return send((c) => api.POST('/api/v1/storage-domains/{id}/attach', { ...params, ...c }));
        case 'activate':
          return send((c) => api.POST('/api/v1/storage-domains/{id}/activate', { ...params, ...c }));
        case 'maintenance':
          return send((c) => api.POST('/api/v1/storage-domains/{id}/maintenance', { ...params, ...c }));
        case 'detach':
          return send((c) => api.POST('/api/v1/storage-domains/{id}/detach', { ...params, ...c }));
      }
    },
    invalidates: ['storage-domains', 'tasks'],
    // The list is read again once the step's task has finished: its status changes then, not when
    // the step is accepted.
    waitTask: true,
  });
}

/** Creates (no id) or edits a storage domain. */
export function useSaveStorageDomain(id?: string) {
  return useApiMutation<StorageBody>({
    label: (b) => `${id ? 'Edit' : 'Create'} storage domain ${b.name}`,
    send: (b) =>
      id
        ? send((c) => api.PATCH('/api/v1/storage-domains/{id}', { params: { path: { id } }, body: b, ...c }))
        : send((c) =>
            api.POST('/api/v1/storage-domains', {
              body: { ...b, datacenterId: b.datacenterId!, type: b.type! },
              ...c,
            }),
          ),
    invalidates: ['storage-domains'],
  });
}
