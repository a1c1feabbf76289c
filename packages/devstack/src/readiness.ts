import { authHeader } from './credentials';
import { ENGINE_URL } from './settings';

interface HostView {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  lastHeartbeatAt: string | null;
}

/**
 * Waits until the running engine has seen every host Up with a heartbeat received after `since`.
 * A status alone is not enough: the database may still say Up from before the engine restarted.
 * Returns the hosts that did not make it (empty: all ready).
 */
export async function waitForHostsUp(
  hosts: { id: string; name: string }[],
  since: Date,
  log: (line: string) => void,
  timeoutMs = 120_000,
): Promise<HostView[]> {
  const deadline = Date.now() + timeoutMs;
  const ready = new Set<string>();
  for (;;) {
    const last = await Promise.all(hosts.map((h) => hostView(h.id)));
    for (const h of last) {
      const fresh = h.lastHeartbeatAt !== null && Date.parse(h.lastHeartbeatAt) >= since.getTime();
      if (h.status === 'up' && fresh && !ready.has(h.id)) {
        ready.add(h.id);
        log(`host ${h.name} is Up (heartbeat received by the running engine)`);
      }
    }
    if (ready.size === hosts.length) return [];
    if (Date.now() > deadline) return last.filter((h) => !ready.has(h.id));
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function hostView(id: string): Promise<HostView> {
  const res = await fetch(`${ENGINE_URL}/api/v1/hosts/${id}`, { headers: authHeader() });
  if (!res.ok) throw new Error(`GET /hosts/${id} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as HostView;
}
