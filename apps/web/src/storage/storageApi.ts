import type { StorageDomain, StorageDomainHostStatus, StorageDomainStatus } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { apiGet, apiSend } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

/** How each host of the datacenter sees the domain (`GET /storage-domains/{id}/hosts`); the list's
 * usage column and the hosts dialog share it. */
export function useStorageHosts(id: string, refetchMs = 10_000) {
  return useQuery({
    queryKey: ['storage-domains', id, 'hosts'],
    queryFn: () => apiGet<StorageDomainHostStatus[]>(`/storage-domains/${id}/hosts`),
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
    send: (step) =>
      step === 'delete'
        ? apiSend('DELETE', `/storage-domains/${sd.id}`)
        : apiSend('POST', `/storage-domains/${sd.id}/${step}`),
    invalidates: ['storage-domains', 'tasks'],
  });
}
