import type { Cluster, DataCenter } from '@kelpie/shared-types';
import { apiSend } from '../api/client';
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
> & { datacenterId?: string };

type Kind = 'datacenters' | 'clusters';
const NOUN: Record<Kind, string> = { datacenters: 'datacenter', clusters: 'cluster' };

/** Creates (no id) or edits a datacenter or cluster; lists and details of both are refreshed. */
export function useSaveInventory<B extends { name: string }>(kind: Kind, id?: string) {
  return useApiMutation<B, DataCenter | Cluster>({
    label: (b) => `${id ? 'Edit' : 'Create'} ${NOUN[kind]} ${b.name}`,
    send: (b) => (id ? apiSend('PATCH', `/${kind}/${id}`, b) : apiSend('POST', `/${kind}`, b)),
    invalidates: ['datacenters', 'clusters'],
  });
}

/** Deletes a datacenter or cluster; the API refuses (409) while children refer to it, naming them. */
export function useDeleteInventory(kind: Kind, obj: { id: string; name: string }) {
  return useApiMutation<void>({
    label: () => `Delete ${NOUN[kind]} ${obj.name}`,
    send: () => apiSend('DELETE', `/${kind}/${obj.id}`),
    invalidates: ['datacenters', 'clusters'],
  });
}
