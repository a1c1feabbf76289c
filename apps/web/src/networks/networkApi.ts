import type { Cluster, ClusterNetwork, LogicalNetwork, NetworkAttachment } from '@kelpie/shared-types';
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, as, read, send } from '../api/client';
import { usePage } from '../api/hooks';
import { useApiMutation } from '../activity/useApiMutation';
import type { NetworkBody } from './networkForm';

export interface Attachment {
  clusterId: string;
  clusterName: string;
  attachment: NetworkAttachment;
}

/** Which clusters each network is attached to: `GET /clusters/{id}/networks` of every cluster (the API
 * answers attachments per cluster), cached under `networks` so a change refreshes them. */
export function useNetworkAttachments(): {
  clusters: Cluster[];
  byNetwork: ReadonlyMap<string, Attachment[]>;
} {
  const { data } = usePage<Cluster>('clusters', {}, 500);
  const clusters = useMemo(() => data?.items ?? [], [data]);
  const byNetwork = useQueries({
    queries: clusters.map((c) => ({
      queryKey: ['networks', 'attachments', c.id],
      queryFn: () =>
        read(
          api.GET('/api/v1/clusters/{clusterId}/networks', { params: { path: { clusterId: c.id } } }),
          as<ClusterNetwork[]>(),
        ),
    })),
    combine: (results) => {
      const map = new Map<string, Attachment[]>();
      results.forEach((r, i) => {
        const c = clusters[i]!;
        for (const a of r.data ?? []) {
          const list = map.get(a.networkId) ?? [];
          list.push({ clusterId: c.id, clusterName: c.name, attachment: a.attachment });
          map.set(a.networkId, list);
        }
      });
      return map as ReadonlyMap<string, Attachment[]>;
    },
  });
  return { clusters, byNetwork };
}

/** What a cluster does with a network: '' = not attached. */
export type AttachmentChoice = '' | NetworkAttachment;

export interface AttachmentChange {
  cluster: Pick<Cluster, 'id' | 'name'>;
  from: AttachmentChoice;
  to: AttachmentChoice;
}

/** Attach (POST), re-flag (PATCH) or detach (DELETE) a network on a cluster. */
export function useSetAttachment(network: Pick<LogicalNetwork, 'id' | 'name'>) {
  return useApiMutation<AttachmentChange>({
    label: ({ cluster, to }) =>
      to
        ? `Attach ${network.name} to ${cluster.name} (${to})`
        : `Detach ${network.name} from ${cluster.name}`,
    send: ({ cluster, from, to }) => {
      const path = { clusterId: cluster.id, networkId: network.id };
      if (!to)
        return send((c) =>
          api.DELETE('/api/v1/clusters/{clusterId}/networks/{networkId}', { params: { path }, ...c }),
        );
      if (!from)
        return send((c) =>
          api.POST('/api/v1/clusters/{clusterId}/networks', {
            params: { path: { clusterId: cluster.id } },
            body: { networkId: network.id, attachment: to },
            ...c,
          }),
        );
      return send((c) =>
        api.PATCH('/api/v1/clusters/{clusterId}/networks/{networkId}', {
          params: { path },
          body: { attachment: to },
          ...c,
        }),
      );
    },
    invalidates: ['networks', 'clusters'],
  });
}

export function useDeleteNetwork(network: Pick<LogicalNetwork, 'id' | 'name'>) {
  return useApiMutation<void>({
    label: () => `Delete network ${network.name}`,
    send: () =>
      send((c) => api.DELETE('/api/v1/networks/{id}', { params: { path: { id: network.id } }, ...c })),
    invalidates: ['networks', 'clusters'],
  });
}

/** Creates (no id) or edits a logical network; a new one is attached to `attach` clusters after. */
export function useSaveNetwork(id?: string) {
  return useApiMutation<NetworkBody, LogicalNetwork>({
    label: (b) => `${id ? 'Edit' : 'Create'} network ${b.name}`,
    send: (b) =>
      id
        ? send(
            (c) => api.PATCH('/api/v1/networks/{id}', { params: { path: { id } }, body: b, ...c }),
            as<LogicalNetwork>(),
          )
        : send(
            (c) => api.POST('/api/v1/networks', { body: { ...b, datacenterId: b.datacenterId! }, ...c }),
            as<LogicalNetwork>(),
          ),
    invalidates: ['networks', 'clusters'],
  });
}

/** Attaches a (new) network to clusters, one request each; the first refusal stops and is shown. */
export function useAttachToClusters() {
  return useApiMutation<{
    network: Pick<LogicalNetwork, 'id' | 'name'>;
    clusterIds: string[];
    attachment: NetworkAttachment;
  }>({
    label: ({ network, clusterIds, attachment }) =>
      `Attach ${network.name} to ${clusterIds.length} cluster(s) (${attachment})`,
    send: async ({ network, clusterIds, attachment }) => {
      let last = { status: 204, body: undefined as unknown, correlationId: '' };
      for (const clusterId of clusterIds)
        last = await send((c) =>
          api.POST('/api/v1/clusters/{clusterId}/networks', {
            params: { path: { clusterId } },
            body: { networkId: network.id, attachment },
            ...c,
          }),
        );
      return last;
    },
    invalidates: ['networks', 'clusters'],
  });
}
