import type { Cluster, DataCenter, Host, LogicalNetwork, StorageDomain } from '@kelpie/shared-types';
import { useMemo } from 'react';
import { usePage } from './hooks';

/** Names of the (few) parents shown in list columns; lists of hosts/clusters are read up to 500. */
function useNames<T extends { id: string; name: string }>(
  resource: 'hosts' | 'clusters' | 'datacenters' | 'storage-domains' | 'networks',
) {
  const { data } = usePage<T>(resource, {}, 500);
  return useMemo(() => new Map((data?.items ?? []).map((x) => [x.id, x.name])), [data]);
}
export const useHostNames = () => useNames<Host>('hosts');
export const useClusterNames = () => useNames<Cluster>('clusters');
export const useDatacenterNames = () => useNames<DataCenter>('datacenters');
export const useStorageDomainNames = () => useNames<StorageDomain>('storage-domains');
export const useNetworkNames = () => useNames<LogicalNetwork>('networks');
