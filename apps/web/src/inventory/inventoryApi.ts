import type { Cluster, DataCenter } from '@kelpie/shared-types';
import { api, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

export type DatacenterBody = Pick<DataCenter, 'name' | 'description'>;
export type ClusterBody = Pick<
  Cluster,
  | 'name'
  | 'description'
  | 'cpuModel'
  | 'schedulingPolicy'
  | 'migrationPolicy'
  | 'migrationEncrypted'
  | 'switchType'
  | 'balancingEnabled'
  | 'schedulingThresholds'
> & { datacenterId?: string };

type Kind = 'datacenters' | 'clusters';
const NOUN: Record<Kind, string> = { datacenters: 'datacenter', clusters: 'cluster' };

/** Creates (no id) or edits a datacenter or cluster; lists and details of both are refreshed. */
function saveInventory(kind: Kind, id: string | undefined, b: DatacenterBody | ClusterBody) {
  if (kind === 'datacenters') {
    const body = b as DatacenterBody;
    return id
      ? send((c) => api.PATCH('/api/v1/datacenters/{id}', { params: { path: { id } }, body, ...c }))
      : send((c) => api.POST('/api/v1/datacenters', { body, ...c }));
  }
  const body = b as ClusterBody;
  return id
    ? send((c) => api.PATCH('/api/v1/clusters/{id}', { params: { path: { id } }, body, ...c }))
    : send((c) =>
        api.POST('/api/v1/clusters', { body: { ...body, datacenterId: body.datacenterId! }, ...c }),
      );
}

export function useSaveInventory<B extends DatacenterBody | ClusterBody>(kind: Kind, id?: string) {
  return useApiMutation<B, unknown>({
    label: (b) => `${id ? 'Edit' : 'Create'} ${NOUN[kind]} ${b.name}`,
    send: (b) => saveInventory(kind, id, b),
    invalidates: ['datacenters', 'clusters'],
  });
}

/** Deletes a datacenter or cluster; the API refuses (409) while children refer to it, naming them. */
export function useDeleteInventory(kind: Kind, obj: { id: string; name: string }) {
  return useApiMutation<void>({
    label: () => `Delete ${NOUN[kind]} ${obj.name}`,
    send: () => {
      const params = { params: { path: { id: obj.id } } };
      return kind === 'datacenters'
        ? send((c) => api.DELETE('/api/v1/datacenters/{id}', { ...params, ...c }))
        : send((c) => api.DELETE('/api/v1/clusters/{id}', { ...params, ...c }));
    },
    invalidates: ['datacenters', 'clusters'],
  });
}
