import { Lab, LabStatus, type ForwardSpec } from '@kelpie/lab';
import type { AgentCredentials, Host, HostNetworkView, Task } from '@kelpie/shared-types';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostCredentialsService } from '@kelpie/engine/testing';
import { apiOk, startTestEngine, TestEngine } from './engine';
import type { TestDatabase } from './services';

export const AGENT_ENTRY = join(__dirname, '..', '..', 'apps', 'agent', 'dist', 'main.js');

export interface TestPlatform {
  lab: Lab;
  labStatus: LabStatus;
  engine: TestEngine;
  datacenterId: string;
  clusterId: string;
  /** Engine host records by lab host name (h1, h2, …). */
  hosts: Record<string, Host>;
  /** Starts the host's agent (again); `entry`: another build of it, e.g. the Debian package's. */
  /** (Re)starts a host's agent with new credentials; `credentialsFromApi` fetches them as an admin
   * deploying the agent by hand does (POST /hosts/{id}/credentials), else straight from the engine. */
  startAgent(labHost: string, entry?: string, credentialsFromApi?: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  labName: string;
  subnet: number;
  hosts: number;
  engineEnv?: Record<string, string>;
  agentEnv?: Record<string, string>;
  /** The engine's database (e.g. a private Postgres of a fault test); default: a new one. */
  db?: TestDatabase;
  /** Root-namespace services the lab's hosts reach on the bridge address (default: Redis 6379). */
  forwards?: ForwardSpec[];
  /** Return only when every host is Up, as `scripts/up.sh` does (default); false for a test that
   * watches hosts come up itself. */
  waitUp?: boolean;
  /** Each lab host runs its own Open vSwitch (user-space datapath). */
  openvswitch?: boolean;
  /** Lab hosts reach the shared directory over their own link (sshfs), like real shared storage. */
  networkStorage?: boolean;
  /** 2: each lab host also gets `eth2` on the trunk (two links for a bond). */
  trunkNics?: 1 | 2;
}

/** A host's agent state (its command journal), in the host's own directory: it survives the agent. */
export function agentStateDir(lab: Lab, labHost: string): string {
  return join(lab.host(labHost).dir, 'agent-state');
}

/** Everything real, as on a deployment: a lab of libvirt hosts, the engine (own database and Redis
 * prefix), the hosts registered through the API and one agent inside each lab host. */
export async function startTestPlatform(options: PlatformOptions): Promise<TestPlatform> {
  const lab = new Lab({
    name: options.labName,
    subnet: options.subnet,
    forwards: options.forwards,
    openvswitch: options.openvswitch,
    networkStorage: options.networkStorage,
    trunkNics: options.trunkNics,
  });
  // A test lab belongs to its test file: whatever is there is left over from a killed run.
  const labStatus = await lab.up(options.hosts, { fresh: true });
  const engine = await startTestEngine(options.engineEnv ?? {}, { db: options.db });
  const dc = await apiOk<{ id: string }>(engine, 'POST', '/datacenters', {
    name: `dc-${options.labName}`,
  });
  const cluster = await apiOk<{ id: string }>(engine, 'POST', '/clusters', {
    name: 'main',
    datacenterId: dc.id,
  });
  const hosts: Record<string, Host> = {};
  for (const h of labStatus.hosts) {
    hosts[h.name] = await apiOk<Host>(engine, 'POST', '/hosts', {
      name: `${options.labName}-${h.name}`,
      clusterId: cluster.id,
      address: h.ip,
      libvirtUri: h.uri,
    });
  }
  // A fault test may replace the engine (platform.engine): credentials come from the one in charge.
  const live: { platform?: TestPlatform } = {};
  const startAgent = async (labHost: string, entry = AGENT_ENTRY, credentialsFromApi = false) => {
    const credentialsFile = await writeAgentCredentials(
      live.platform?.engine ?? engine,
      hosts[labHost].id,
      join(lab.host(labHost).dir, 'credentials.json'),
      options.agentEnv?.KELPIE_REDIS_URL ?? `redis://${labStatus.bridgeIp}:6379`,
      credentialsFromApi,
    );
    await lab.spawnInHost(labHost, [process.execPath, entry], {
      role: 'agent',
      // A host powered on again through its lab BMC starts its agent, as an installed host does.
      startAtBoot: true,
      logFile: join(lab.host(labHost).dir, 'agent.log'),
      env: {
        KELPIE_CREDENTIALS_FILE: credentialsFile,
        KELPIE_REDIS_PREFIX: engine.config.redisPrefix,
        KELPIE_LIBVIRT_URI: 'qemu:///system',
        KELPIE_HEARTBEAT_INTERVAL_MS: '1000',
        KELPIE_RECONNECT_MAX_MS: '1000',
        // The boot probe is measured by the lab/agent tests; here it would only add seconds.
        KELPIE_VIRTUALIZATION: 'tcg',
        KELPIE_STATE_DIR: agentStateDir(lab, labHost),
        ...options.agentEnv,
      },
    });
  };
  for (const h of labStatus.hosts) await startAgent(h.name);
  // An action fired while a host is still `installing` is a 503: tests start from a fleet that is Up.
  if (options.waitUp !== false)
    for (const h of Object.values(hosts))
      await eventually(
        `${h.name} up`,
        async () => (await apiOk<Host>(engine, 'GET', `/hosts/${h.id}`)).status === 'up',
        60_000,
        200,
      );
  const platform: TestPlatform = {
    lab,
    labStatus,
    engine,
    datacenterId: dc.id,
    clusterId: cluster.id,
    hosts,
    startAgent,
    close: async () => {
      for (const h of labStatus.hosts) await lab.stopAgent(h.name).catch(() => undefined);
      // The hosts' Redis users live in the machine's shared Redis, beyond the test's database.
      for (const h of Object.values(hosts))
        await Promise.resolve()
          .then(() => platform.engine.app.get(HostCredentialsService).revoke(h.id))
          .catch(() => undefined);
      // The engine in charge now (a fault test may have replaced the first one).
      await platform.engine.close().catch(() => undefined);
      await lab.down().catch(() => undefined);
    },
  };
  live.platform = platform;
  return platform;
}

/** A host's agent gets its own Redis user as an enrolled one does (the engine's credentials service),
 * written where the agent reads it (0600); `redisUrl` is Redis as the host reaches it. */
export async function writeAgentCredentials(
  engine: TestEngine,
  hostId: string,
  file: string,
  redisUrl: string,
  fromApi = false,
): Promise<string> {
  const credentials = fromApi
    ? await apiOk<AgentCredentials>(engine, 'POST', `/hosts/${hostId}/credentials`, { replace: true })
    : await engine.app.get(HostCredentialsService).issue(hostId);
  const url = new URL(redisUrl);
  url.username = '';
  url.password = '';
  await writeFile(
    file,
    JSON.stringify({ ...credentials, redis: { ...credentials.redis, url: url.toString() } }),
    {
      mode: 0o600,
    },
  );
  return file;
}

/** Polls until `probe` returns a truthy value; the error names what was awaited. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}

/** The calls host tests make on a platform that beforeAll starts later: the API, a lab host's id,
 * its record and its network view. */
export function hostCalls(platform: () => TestPlatform) {
  const api = (method: string, path: string, body?: unknown) => platform().engine.api(method, path, body);
  const hostId = (h: string) => platform().hosts[h]!.id;
  return {
    api,
    hostId,
    host: async (h: string) => (await api('GET', `/api/v1/hosts/${hostId(h)}`)).body as Host,
    view: async (h: string) => (await api('GET', `/api/v1/hosts/${hostId(h)}/nics`)).body as HostNetworkView,
  };
}

/** The create request of a small VM on `hostId`: one vCPU, 128 MiB, a 1 GiB disk on the lab's domain
 * and a NIC on its network (see addLabInfrastructure). */
export function smallVmOn(
  p: Pick<TestPlatform, 'clusterId'>,
  infra: { sdId: string; networkId: string },
  name: string,
  hostId: string,
): Record<string, unknown> {
  return {
    name,
    clusterId: p.clusterId,
    hostId,
    vcpus: 1,
    memoryMib: 128,
    disks: [{ sizeGiB: 1, storageDomainId: infra.sdId }],
    nics: [{ networkId: infra.networkId }],
  };
}

/** What an administrator sets up first, through the API: a dir storage domain `shared` on the lab's
 * shared directory, attached to the datacenter and active (its pool takes the directory over from the
 * lab's `kelpie-shared`), and a VM network `lab` on br0, attached (required) to the cluster. */
export async function addLabInfrastructure(p: TestPlatform): Promise<{ sdId: string; networkId: string }> {
  const ok = async (path: string, body?: unknown) => {
    const res = await p.engine.api('POST', `/api/v1${path}`, body);
    if (res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    if (res.status !== 202) return res.body as { id: string };
    const id = (res.body as Task).id;
    const task = await eventually(
      `${path} finished`,
      async () => {
        const t = (await p.engine.api('GET', `/api/v1/tasks/${id}?wait=5000`)).body as Task;
        return ['queued', 'running'].includes(t.status) ? undefined : t;
      },
      120_000,
      0,
    );
    if (task.status !== 'succeeded')
      throw new Error(`POST ${path}: ${task.type} ${task.status}: ${task.errorMessage}`);
    return res.body as { id: string };
  };
  const sd = await ok('/storage-domains', {
    name: 'shared',
    datacenterId: p.datacenterId,
    type: 'dir',
    path: p.labStatus.sharedDir,
  });
  await ok(`/storage-domains/${sd.id}/attach`);
  await ok(`/storage-domains/${sd.id}/activate`);
  const net = await ok('/networks', { name: 'lab', datacenterId: p.datacenterId, bridge: 'br0' });
  await ok(`/clusters/${p.clusterId}/networks`, { networkId: net.id, attachment: 'required' });
  return { sdId: sd.id, networkId: net.id };
}
