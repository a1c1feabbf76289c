import { authHeader } from './credentials';
import type { Lab, LabStatus } from '@kelpie/lab';
import { ENGINE_URL } from './settings';

interface Named {
  id: string;
  name: string;
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ENGINE_URL}/api/v1${path}`, {
    method,
    headers: { ...authHeader(), ...(body ? { 'content-type': 'application/json' } : {}) },
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
  /** The SSH host key fingerprint the devstack confirmed (read from the lab host's own key file). */
  fingerprint: string;
}

interface TaskView {
  id: string;
  status: string;
  target: { id: string } | null;
  errorMessage: string | null;
  steps: { name: string; status: string; message?: string }[];
}

/** POST expecting 202 + a task; resolves with the final task. */
async function runTask(method: string, path: string, body: unknown): Promise<TaskView> {
  let task = await api<TaskView>(method, path, body);
  const deadline = Date.now() + 300_000;
  while ((task.status === 'queued' || task.status === 'running') && Date.now() < deadline)
    task = await api<TaskView>('GET', `/tasks/${task.id}?wait=10000`);
  return task;
}

/**
 * The default datacenter and cluster, and every lab host enrolled over SSH as an admin would: the
 * host key confirmed against the host's own key file, root's password, the engine installs the agent.
 * Hosts already known are re-enrolled (an in-place upgrade to the agent just built).
 */
export async function ensureFleet(lab: Lab, log: (line: string) => void): Promise<RegisteredHost[]> {
  const dc = await ensureNamed('/datacenters', 'Default', { description: 'Created by scripts/up.sh' });
  const cluster = await ensureNamed('/clusters', 'Default', { datacenterId: dc.id });
  const status = await lab.status();
  const access = await lab.sshAccess();
  const enrolled = await Promise.all(
    status.hosts.map(async (h) => {
      const name = `lab-${h.name}`;
      const fingerprint = await lab.hostKeyFingerprint(h.name);
      const page = await api<{ items: Named[] }>('GET', `/hosts?q=${encodeURIComponent(name)}&limit=500`);
      const known = page.items.find((i) => i.name === name);
      const credentials = { password: access.password, expectedHostKeyFingerprint: fingerprint };
      const task = known
        ? await runTask('POST', `/hosts/${known.id}/enroll`, credentials)
        : await runTask('POST', '/hosts', {
            name,
            clusterId: cluster.id,
            address: h.ip,
            // No libvirtUri: enrollment's default, qemu+tls with the engine-issued certificates.
            ...credentials,
          });
      if (task.status !== 'succeeded') {
        const failed = task.steps.find((s) => s.status === 'failed');
        throw new Error(
          `enrolling ${name} ${task.status}: ${failed ? `${failed.name}: ${failed.message}` : task.errorMessage}`,
        );
      }
      log(`${name} enrolled over SSH (${h.ip}:22, host key ${fingerprint} accepted)`);
      return { id: task.target!.id, name, labHost: h.name, fingerprint };
    }),
  );
  await ensureDefaultInfrastructure(dc.id, cluster.id, status, log);
  return enrolled;
}

/** A `dir` storage domain on the lab's shared directory (every host has it at the same path),
 * attached and active as an admin leaves it, and a bridged VM network on `br0` (inside every lab
 * host), attached to the cluster: VMs can be created out of the box. */
async function ensureDefaultInfrastructure(
  datacenterId: string,
  clusterId: string,
  lab: LabStatus,
  log: (line: string) => void,
) {
  const sd = await ensureNamed('/storage-domains', 'shared', {
    datacenterId,
    type: 'dir',
    path: lab.sharedDir,
  });
  await ensureActive(sd.id, log);
  const net = await ensureNamed('/networks', 'lab', { datacenterId, bridge: 'br0' });
  const attached = await api<Array<{ networkId: string }> | { items: Array<{ networkId: string }> }>(
    'GET',
    `/clusters/${clusterId}/networks`,
  );
  const list = Array.isArray(attached) ? attached : attached.items;
  if (!list.some((a) => a.networkId === net.id))
    await api('POST', `/clusters/${clusterId}/networks`, { networkId: net.id, attachment: 'required' });
}

/** Brings the storage domain to `active` from wherever it is (detached → attach, then activate). The
 * devstack's lab has no `kelpie-shared` pool (`sharedPool: false`): the domain's pool serves the
 * shared directory (libvirt allows one pool per directory). */
async function ensureActive(id: string, log: (line: string) => void) {
  const status = async () => (await api<{ status: string }>('GET', `/storage-domains/${id}`)).status;
  for (const [from, action] of [
    ['detached', 'attach'],
    ['inactive', 'activate'],
  ] as const) {
    if ((await status()) !== from) continue;
    const task = await runTask('POST', `/storage-domains/${id}/${action}`, undefined);
    if (task.status !== 'succeeded')
      throw new Error(`storage domain shared: ${action} ${task.status}: ${task.errorMessage ?? ''}`);
  }
  log(`storage domain shared: ${await status()}`);
}
