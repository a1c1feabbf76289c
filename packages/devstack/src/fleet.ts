import type { Lab } from '@kelpie/lab';
import { ENGINE_URL } from './settings';

interface Named {
  id: string;
  name: string;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ENGINE_URL}/api/v1${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Finds an object by exact name in a list endpoint, or creates it. */
async function ensureNamed(path: string, name: string, create: Record<string, unknown>): Promise<Named> {
  const page = await api<{ items: Named[] }>('GET', `${path}?q=${encodeURIComponent(name)}&limit=500`);
  return page.items.find((i) => i.name === name) ?? api<Named>('POST', path, { name, ...create });
}

export interface RegisteredHost {
  id: string;
  name: string;
  labHost: string;
}

/** The default datacenter and cluster, and every lab host registered in the engine. */
export async function ensureFleet(lab: Lab): Promise<RegisteredHost[]> {
  const dc = await ensureNamed('/datacenters', 'Default', { description: 'Created by scripts/up.sh' });
  const cluster = await ensureNamed('/clusters', 'Default', { datacenterId: dc.id });
  const status = await lab.status();
  const hosts: RegisteredHost[] = [];
  for (const h of status.hosts) {
    const name = `lab-${h.name}`;
    const host = await ensureNamed('/hosts', name, {
      clusterId: cluster.id,
      address: h.ip,
      libvirtUri: h.uri,
    });
    hosts.push({ id: host.id, name, labHost: h.name });
  }
  await ensureDefaultInfrastructure(dc.id, cluster.id, status.sharedDir);
  return hosts;
}

/** A `dir` storage domain on the lab's shared directory (every host has it at the same path, with the
 * libvirt pool `kelpie-shared`) and a bridged VM network on `br0` (inside every lab host), attached
 * to the cluster: VMs can be created out of the box. */
async function ensureDefaultInfrastructure(datacenterId: string, clusterId: string, sharedDir: string) {
  await ensureNamed('/storage-domains', 'shared', { datacenterId, type: 'dir', path: sharedDir });
  const net = await ensureNamed('/networks', 'lab', { datacenterId, bridge: 'br0' });
  const attached = await api<Array<{ networkId: string }> | { items: Array<{ networkId: string }> }>(
    'GET',
    `/clusters/${clusterId}/networks`,
  );
  const list = Array.isArray(attached) ? attached : attached.items;
  if (!list.some((a) => a.networkId === net.id))
    await api('POST', `/clusters/${clusterId}/networks`, { networkId: net.id, attachment: 'required' });
}
