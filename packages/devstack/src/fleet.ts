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
  return hosts;
}
