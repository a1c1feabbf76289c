/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import type { ApiResponse } from './engine';

interface Api {
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

/** A datacenter, a cluster in it and a VM defined there (never started: no host is needed), made
 * through the API as the test admin. */
export async function createDefinedVm(
  e: Api,
  names: { datacenter?: string; cluster?: string; vm?: string } = {},
): Promise<{ datacenter: any; cluster: any; vm: any }> {
  const created = async (path: string, body: unknown) => {
    const res = await e.api('POST', `/api/v1/${path}`, body);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const datacenter = await created('datacenters', { name: names.datacenter ?? 'dc' });
  const cluster = await created('clusters', { name: names.cluster ?? 'c', datacenterId: datacenter.id });
  const vm = await created('vms', {
    name: names.vm ?? 'vm1',
    clusterId: cluster.id,
    vcpus: 1,
    memoryMib: 256,
    osType: 'linux',
  });
  return { datacenter, cluster, vm };
}
