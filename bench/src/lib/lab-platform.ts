import { Lab, LabStatus } from '@kelpie/lab';
import { join } from 'node:path';
import { EngineProcess, startEngineProcess } from './engine-process';
import { BUILD_ROOT } from './paths';
import { sleep } from './stats';

export const AGENT_ENTRY = join(BUILD_ROOT, 'apps', 'agent', 'dist', 'main.js');

export interface LabPlatform {
  lab: Lab;
  labStatus: LabStatus;
  engine: EngineProcess;
  clusterId: string;
  hostIds: Record<string, string>;
  close(): Promise<void>;
}

/** Like test/support/platform.ts, but with the engine in its own process (as deployed): a lab of
 * real libvirt hosts, hosts registered through the API, one real agent inside each host. */
export async function startLabPlatform(opts: {
  labName: string;
  subnet: number;
  hosts: number;
  agentEnv?: Record<string, string>;
  log: (line: string) => void;
}): Promise<LabPlatform> {
  const lab = new Lab({ name: opts.labName, subnet: opts.subnet });
  const labStatus = await lab.up(opts.hosts, { log: opts.log, fresh: true });
  let engine: EngineProcess | undefined;
  try {
    engine = await startEngineProcess(opts.labName);
    const e = engine;
    const dc = await e.ok<{ id: string }>('POST', '/api/v1/datacenters', { name: `dc-${opts.labName}` });
    const cluster = await e.ok<{ id: string }>('POST', '/api/v1/clusters', {
      name: 'main',
      datacenterId: dc.id,
    });
    const hostIds: Record<string, string> = {};
    for (const h of labStatus.hosts) {
      const host = await e.ok<{ id: string }>('POST', '/api/v1/hosts', {
        name: `${opts.labName}-${h.name}`,
        clusterId: cluster.id,
        address: h.ip,
        libvirtUri: h.uri,
      });
      hostIds[h.name] = host.id;
      await lab.spawnInHost(h.name, [process.execPath, AGENT_ENTRY], {
        role: 'agent',
        logFile: join(lab.host(h.name).dir, 'agent.log'),
        env: {
          KELPIE_HOST_ID: host.id,
          KELPIE_REDIS_URL: `redis://${labStatus.bridgeIp}:6379`,
          KELPIE_REDIS_PREFIX: e.redisPrefix,
          KELPIE_LIBVIRT_URI: 'qemu:///system',
          KELPIE_HEARTBEAT_INTERVAL_MS: '1000',
          KELPIE_VIRTUALIZATION: 'tcg',
          ...opts.agentEnv,
        },
      });
    }
    for (const [name, id] of Object.entries(hostIds)) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const h = await e.ok<{ status: string }>('GET', `/api/v1/hosts/${id}`);
        if (h.status === 'up') break;
        if (Date.now() > deadline) throw new Error(`host ${name} not up within 60 s (status ${h.status})`);
        await sleep(200);
      }
    }
    return {
      lab,
      labStatus,
      engine: e,
      clusterId: cluster.id,
      hostIds,
      close: async () => {
        for (const h of labStatus.hosts) await lab.stopAgent(h.name).catch(() => undefined);
        await e.close().catch(() => undefined);
        await lab.down().catch(() => undefined);
      },
    };
  } catch (err) {
    await engine?.close().catch(() => undefined);
    await lab.down().catch(() => undefined);
    throw err;
  }
}
