/**
 * A simulated fleet of agents: a real protocol client (BullMQ producers on the engine's heartbeat
 * and report queues, every message validated with the shared-types schemas) that plays many hosts
 * and their VMs without libvirt. Runs as a child process of the engine-scale benchmark (IPC):
 *   parent → {cmd:'add', hosts:[{id, index, vms}]}, {cmd:'stop'}
 *   sim → {type:'added', count}, {type:'stats', ...}
 * Job ids carry the send time (`<kind>~<sentMs>~<host>~<seq>`), so the benchmark can compute the
 * engine's handling lag from the queues' `completed` events.
 */
import {
  AgentReport,
  DomainSnapshot,
  HEARTBEAT_QUEUE,
  HeartbeatReport,
  PROTOCOL_VERSION,
  REPORT_QUEUE,
} from '@kelpie/shared-types';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';

export interface SimHost {
  id: string;
  index: number;
  vms: { uuid: string; name: string }[];
}

export interface SimOptions {
  redisUrl: string;
  prefix: string;
  heartbeatMs: number;
  statsMs: number;
  inventoryMs: number;
  /** domain-changed reports per host per minute (a random VM is paused or resumed). */
  changesPerHostMinute: number;
}

interface HostState {
  id: string;
  index: number;
  bootId: string;
  domains: DomainSnapshot[];
  nextHeartbeat: number;
  nextStats: number;
  nextInventory: number;
  seq: number;
}

const opts: SimOptions = JSON.parse(process.env.KELPIE_SIM_OPTIONS ?? '{}') as SimOptions;
const connection = new IORedis(opts.redisUrl, {
  maxRetriesPerRequest: null,
  connectionName: 'kelpie-bench-sim',
});
const heartbeats = new Queue(HEARTBEAT_QUEUE, { connection, prefix: opts.prefix });
const reports = new Queue(REPORT_QUEUE, { connection, prefix: opts.prefix });
const HB_OPTS = { removeOnComplete: true, removeOnFail: 50 };
const REPORT_OPTS = { removeOnComplete: true, removeOnFail: 200 };
const hosts: HostState[] = [];
const counters = { heartbeat: 0, inventory: 0, stats: 0, 'domain-changed': 0, hello: 0, lateMs: 0, ticks: 0 };

const capabilities = (h: HostState) => ({
  hostname: `sim-${h.index}`,
  hostUuid: randomUUID(),
  cpu: {
    arch: 'x86_64',
    model: 'sim',
    vendor: 'sim',
    flags: ['vmx'],
    sockets: 2,
    cores: 16,
    threads: 2,
    count: 64,
    mhz: 2400,
  },
  numaCells: [{ id: 0, memoryKiB: 256 * 1024 * 1024, cpus: [0, 1, 2, 3] }],
  memoryKiB: 256 * 1024 * 1024,
  libvirtVersion: '9.0.0',
  qemuVersion: '7.2.0',
  virtualization: 'kvm' as const,
});

function jobId(kind: string, sentMs: number, h: HostState): string {
  return `${kind}~${sentMs}~${h.index}~${h.seq++}`;
}

type Bulk = { name: string; data: unknown; opts: Record<string, unknown> }[];

function report(h: HostState, now: number, body: Record<string, unknown>, out: Bulk): void {
  const data = AgentReport.parse({ ...body, hostId: h.id, sentAt: new Date(now).toISOString() });
  out.push({ name: data.kind, data, opts: { ...REPORT_OPTS, jobId: jobId(data.kind, now, h) } });
  counters[data.kind as keyof typeof counters]++;
}

function addHosts(list: SimHost[]): void {
  const now = Date.now();
  const hb: Bulk = [];
  const rp: Bulk = [];
  for (const s of list) {
    const h: HostState = {
      id: s.id,
      index: s.index,
      bootId: new Date(now).toISOString(),
      domains: s.vms.map((v, i) => ({
        uuid: v.uuid,
        name: v.name,
        state: i % 5 === 4 ? 'shutoff' : 'running',
        reason: i % 5 === 4 ? 'shutdown' : 'booted',
        persistent: true,
        managed: false,
        vcpus: 1 + (i % 4),
        memoryKiB: 1048576 * (1 + (i % 4)),
        maxMemoryKiB: 1048576 * (1 + (i % 4)),
      })),
      // Spread the periodic messages evenly, as independent agents would be.
      nextHeartbeat: now + Math.random() * opts.heartbeatMs,
      nextStats: now + Math.random() * opts.statsMs,
      nextInventory: now + opts.inventoryMs * (0.5 + Math.random()),
      seq: 0,
    };
    hosts.push(h);
    report(
      h,
      now,
      {
        kind: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        agentVersion: 'sim',
        bootId: h.bootId,
        capabilities: capabilities(h),
      },
      rp,
    );
    hb.push(heartbeat(h, now));
    report(h, now, { kind: 'inventory', domains: h.domains }, rp);
  }
  void Promise.all([heartbeats.addBulk(hb as never), reports.addBulk(rp as never)]).then(() =>
    process.send?.({ type: 'added', count: list.length }),
  );
}

function heartbeat(h: HostState, now: number) {
  const data = HeartbeatReport.parse({
    kind: 'heartbeat',
    hostId: h.id,
    sentAt: new Date(now).toISOString(),
    protocolVersion: PROTOCOL_VERSION,
    agentVersion: 'sim',
    bootId: h.bootId,
    libvirtConnected: true,
    load: { load1: 0.5, memFreeKiB: 128 * 1024 * 1024, memTotalKiB: 256 * 1024 * 1024 },
  });
  counters.heartbeat++;
  return { name: 'heartbeat', data, opts: { ...HB_OPTS, jobId: jobId('heartbeat', now, h) } };
}

let busy = false;
async function tick(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    const now = Date.now();
    counters.ticks++;
    const hb: Bulk = [];
    const rp: Bulk = [];
    const changeProbability = (opts.changesPerHostMinute / 60_000) * TICK_MS;
    for (const h of hosts) {
      if (now >= h.nextHeartbeat) {
        counters.lateMs = Math.max(counters.lateMs, now - h.nextHeartbeat);
        hb.push(heartbeat(h, now));
        h.nextHeartbeat += opts.heartbeatMs;
      }
      if (now >= h.nextStats) {
        h.nextStats += opts.statsMs;
        const running = h.domains.filter((d) => d.state === 'running');
        report(
          h,
          now,
          {
            kind: 'stats',
            host: {
              cpuPercent: 20 + Math.random() * 10,
              memTotalKiB: 256 * 1024 * 1024,
              memFreeKiB: 100 * 1024 * 1024,
            },
            domains: running.map((d) => ({
              uuid: d.uuid,
              cpuTimeNs: Math.floor(now * 1e3),
              cpuPercent: Math.random() * 5,
              balloonKiB: d.memoryKiB,
              rssKiB: Math.floor(d.memoryKiB / 2),
              block: [{ name: 'vda', rdBytes: 1e6, wrBytes: 2e6 }],
              net: [{ name: 'vnet0', rxBytes: 1e5, txBytes: 2e5 }],
            })),
          },
          rp,
        );
      }
      if (opts.inventoryMs > 0 && now >= h.nextInventory) {
        h.nextInventory += opts.inventoryMs;
        report(h, now, { kind: 'inventory', domains: h.domains }, rp);
      }
      if (h.domains.length && Math.random() < changeProbability) {
        const d = h.domains[Math.floor(Math.random() * h.domains.length)];
        if (d.state === 'running' || d.state === 'paused') {
          d.state = d.state === 'running' ? 'paused' : 'running';
          d.reason = d.state === 'paused' ? 'user' : 'unpaused';
          report(
            h,
            now,
            {
              kind: 'domain-changed',
              uuid: d.uuid,
              event: 'lifecycle',
              detail: d.state === 'paused' ? 'Suspended Paused' : 'Resumed Unpaused',
              observedAt: new Date(now).toISOString(),
              domain: { ...d },
            },
            rp,
          );
        }
      }
    }
    await Promise.all([
      hb.length ? heartbeats.addBulk(hb as never) : null,
      rp.length ? reports.addBulk(rp as never) : null,
    ]);
  } catch (err) {
    process.send?.({ type: 'error', message: (err as Error).message });
  } finally {
    busy = false;
  }
}

const TICK_MS = 100;
const timer = setInterval(() => void tick(), TICK_MS);
const statsTimer = setInterval(
  () => process.send?.({ type: 'stats', hosts: hosts.length, ...counters }),
  5000,
);

process.on('message', (msg: { cmd: string; hosts?: SimHost[] }) => {
  if (msg.cmd === 'add' && msg.hosts) addHosts(msg.hosts);
  if (msg.cmd === 'stop') {
    clearInterval(timer);
    clearInterval(statsTimer);
    void Promise.allSettled([heartbeats.close(), reports.close()]).then(() => {
      connection.disconnect();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
