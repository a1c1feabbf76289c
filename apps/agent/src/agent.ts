import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  LEASE_TARGETS_FILE,
  PROTOCOL_VERSION,
  commandQueueName,
  redactRedisUrl,
  type HostCapabilities,
} from '@kelpie/shared-types';
import type { Redis } from 'ioredis';
import type { AgentConfig } from './config/config';
import { HostNetworking, ipRunner, NetworkStore } from './host/network';
import { refreshLibvirtTls } from './host/libvirt-tls-listener';
import { installHostTls } from './host/tls-certificates';
import { loadAverageReader } from './host/load-average';
import { virtualizationDetector, type VirtualizationDetector } from './host/virtualization';
import { InventorySync } from './inventory/inventory-sync';
import {
  parseCapabilitiesXml,
  parseCpuModes,
  parseUnusableCpuModels,
  toHostCapabilities,
} from './libvirt/mapping';
import { LibvirtClient } from './libvirt/operations';
import { VirshRunner, VirshSessionPool } from './libvirt/process';
import type { Logger } from './logger';
import { AtMostOnce } from './protocol/at-most-once';
import { CommandJournal } from './protocol/command-journal';
import { CommandWorker } from './protocol/command-worker';
import { CommandDispatcher } from './protocol/dispatcher';
import { registerAllHandlers } from './protocol/handlers';
import { HeartbeatLoop } from './protocol/heartbeat';
import { hostInspector } from './protocol/host-inspector';
import { createRedis } from './protocol/redis';
import { CommandRegistry } from './protocol/registry';
import { Reporter } from './reports/reporter';
import { StatsCollector } from './stats/stats-collector';
import { AgentMetrics } from './metrics/agent-metrics';
import { startMetricsServer } from './metrics/metrics-server';
import type { Server } from 'node:http';
import { PoolOperations } from './libvirt/operations/pools';
import { StorageMonitor } from './storage/storage-monitor';

export function agentVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

export interface AgentDeps {
  detectVirtualization?: VirtualizationDetector;
}

/** One agent: wires the layers together. start() boots, stop() shuts down gracefully. */
export class Agent {
  readonly bootId = randomUUID();
  readonly version = agentVersion();
  readonly libvirt: LibvirtClient;
  readonly registry = new CommandRegistry();
  private readonly log: Logger;
  private readonly detect: VirtualizationDetector;
  private reportRedis: Redis | null = null;
  private workerRedis: Redis | null = null;
  reporter: Reporter | null = null;
  inventory: InventorySync | null = null;
  heartbeat: HeartbeatLoop | null = null;
  worker: CommandWorker | null = null;
  stats: StatsCollector | null = null;
  networking: HostNetworking | null = null;
  storage: StorageMonitor | null = null;
  private helloTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly readSessions: VirshSessionPool;
  readonly metrics: AgentMetrics;
  private metricsServer: Server | null = null;

  constructor(
    readonly config: AgentConfig,
    log: Logger,
    deps: AgentDeps = {},
  ) {
    this.log = log.child({ hostId: config.hostId });
    this.metrics = new AgentMetrics(config.hostId);
    const virsh = new VirshRunner({
      uri: config.libvirtUri,
      binary: config.virshBinary,
      timeoutMs: config.virshTimeoutMs,
      observe: (op, outcome, seconds) => this.metrics.virsh(op, outcome, seconds),
    });
    // Reads after every event and command go to long-lived sessions instead of new processes.
    this.readSessions = new VirshSessionPool(virsh);
    this.libvirt = new LibvirtClient(virsh, this.readSessions);
    this.detect = deps.detectVirtualization ?? virtualizationDetector(config.virtualization);
  }

  async start(): Promise<void> {
    const c = this.config;
    this.log.info(
      {
        hostname: hostname(),
        libvirtUri: c.libvirtUri,
        protocolVersion: PROTOCOL_VERSION,
        agentVersion: this.version,
        bootId: this.bootId,
        redis: redactRedisUrl(c.redisUrl),
        redisPrefix: c.redisPrefix,
        commandQueue: commandQueueName(c.hostId),
        commandConcurrency: c.commandConcurrency,
        stateDir: c.stateDir,
      },
      'kelpie agent starting',
    );
    if (c.tls) {
      // Before anything can ask for a migration: `virsh migrate --tls` reads these files.
      // Not fatal: the host still runs VMs; an encrypted migration then fails with what to fix.
      const changed = await installHostTls(c.pkiDir, c.tls).then(
        (files) => {
          this.log.info({ pkiDir: c.pkiDir, changed: files }, 'engine-issued TLS certificate in place');
          return files;
        },
        (e: Error) => {
          this.log.error({ pkiDir: c.pkiDir, err: e.message }, 'TLS certificate not installed');
          return [] as string[];
        },
      );
      // libvirtd reads its certificate at start only: the other hosts' qemu+tls connections must
      // meet the new one now.
      if (changed.some((f) => f.includes('/libvirt/')))
        await refreshLibvirtTls().then(
          (how) => this.log.info({ how }, 'libvirtd TLS listener serves the engine-issued certificate'),
          (e: Error) => this.log.error({ err: e.message }, 'libvirtd TLS listener not refreshed'),
        );
    }
    // Two connections: reports/heartbeats never queue behind the worker's blocking reads.
    this.reportRedis = createRedis(c.redisUrl, `kelpie-agent-${c.hostId}-reports`);
    this.workerRedis = createRedis(c.redisUrl, `kelpie-agent-${c.hostId}-commands`);
    for (const r of [this.reportRedis, this.workerRedis])
      r.on('error', (e: Error) => this.log.warn({ err: e.message }, 'redis error'));
    this.reporter = new Reporter(c.hostId, this.reportRedis, c.redisPrefix, this.log);
    const inventory = new InventorySync(
      this.libvirt,
      this.reporter,
      { reconcileIntervalMs: c.reconcileIntervalMs, reconnectMaxMs: c.reconnectMaxMs },
      this.log.child({ component: 'inventory' }),
      // libvirtd came back (maybe upgraded): tell the engine what it runs now.
      () => void this.sendHello(),
    );
    this.inventory = inventory;
    // Per host: agents of several hosts may share one state directory (tests, a lab).
    const journal = new CommandJournal(join(c.stateDir, 'journal', c.hostId));
    await journal.open();

    const reporter = this.reporter;
    const networking = new HostNetworking(
      ipRunner(),
      new NetworkStore(join(c.stateDir, 'network', c.hostId)),
      (network) => reporter.report({ kind: 'host-network', network }),
      this.log.child({ component: 'network' }),
      {
        refreshMs: c.networkRefreshMs,
        ovs: { vsctl: ipRunner('ovs-vsctl', 15_000), datapathType: c.ovsDatapath },
        bridgeMirrors: { tc: ipRunner('tc'), bridge: ipRunner('bridge') },
      },
    );
    this.networking = networking;
    // Fails boot when a command of the catalog has no handler.
    registerAllHandlers(
      this.registry,
      this.libvirt,
      inventory,
      networking,
      this.config.installDir,
      this.config.devCommands,
      this.config.pkiDir,
    ).assertComplete();

    this.heartbeat = new HeartbeatLoop(
      this.reporter,
      {
        intervalMs: c.heartbeatIntervalMs,
        agentVersion: this.version,
        bootId: this.bootId,
        libvirtConnected: () => inventory.connected,
        load1: loadAverageReader(c.loadavgFile),
      },
      this.log.child({ component: 'heartbeat' }),
    );
    this.heartbeat.start();

    // hello needs the virtualization probe (a boot probe: seconds); it must not hold up the
    // inventory, so it goes out whenever it is ready (the engine keys on bootId, not on order).
    void this.sendHello();
    // Before commands: an unconfirmed setup left by a dead agent is rolled back, the confirmed one re-applied.
    await networking
      .start()
      .catch((e: Error) => this.log.error({ err: e.message }, 'host networking not started'));
    await inventory.start();

    this.worker = new CommandWorker(
      {
        hostId: c.hostId,
        prefix: c.redisPrefix,
        concurrency: c.commandConcurrency,
        connection: this.workerRedis,
        lockMs: c.commandLockMs,
        ...(c.commandPublicKeyPem ? { commandPublicKeyPem: c.commandPublicKeyPem } : {}),
      },
      new CommandDispatcher(this.registry),
      this.reporter,
      this.log.child({ component: 'commands' }),
      new AtMostOnce(journal, hostInspector(this.libvirt), this.log.child({ component: 'journal' })),
      (command, outcome, seconds) => this.metrics.command(command, outcome, seconds),
    );
    this.worker.start();

    this.stats = new StatsCollector(
      this.libvirt,
      this.reporter,
      (name) => inventory.uuidOfName(name),
      c.statsIntervalMs,
      this.log.child({ component: 'stats' }),
    );
    this.stats.start();
    const stats = this.stats;
    this.metrics.watch({
      domainStates: () => inventory.snapshot().map((d) => d.state),
      libvirtConnected: () => inventory.connected,
      eventStream: () => ({ ends: inventory.stats.streamEnds, reconnects: inventory.stats.reconnects }),
      hostSample: () => stats.lastHost,
    });
    if (c.metrics) this.metricsServer = await startMetricsServer(this.metrics, c.metrics, this.log);
    this.storage = new StorageMonitor(
      new PoolOperations(this.libvirt.virsh),
      this.reporter,
      c.storageCheckIntervalMs,
      this.log.child({ component: 'storage' }),
      { id: c.hostId, leaseTargetsFile: join(c.stateDir, LEASE_TARGETS_FILE) },
    );
    this.storage.start();
    this.log.info('kelpie agent started');
  }

  /** What this host offers, without the CPU models' missing features (see `withMissingFeatures`). */
  async capabilities(): Promise<HostCapabilities> {
    const [capsXml, nodeinfo, version, virt] = await Promise.all([
      this.libvirt.capabilitiesXml(),
      this.libvirt.nodeinfo(),
      this.libvirt.version(),
      this.detect(),
    ]);
    // The guest CPU models the scheduler may ask of this host; without them it refuses named models here.
    const cpuModes = await this.libvirt
      .domcapabilitiesXml({ virttype: virtTypeOf(virt.virtualization) })
      .then(parseCpuModes)
      .catch((e: Error) => this.log.warn({ err: e.message }, 'domcapabilities unreadable: no CPU models'));
    return toHostCapabilities({
      hostname: hostname(),
      capabilities: parseCapabilitiesXml(capsXml),
      nodeinfo,
      version,
      virtualization: virt,
      ...(cpuModes ? { cpuModes } : {}),
    });
  }

  /** The same capabilities with why each unusable CPU model is unusable, so the scheduler's refusal
   * names the missing features: one `virsh` call per model, seconds on a busy host. */
  private async withMissingFeatures(caps: HostCapabilities): Promise<HostCapabilities | undefined> {
    if (!caps.cpuModes) return undefined;
    const virttype = virtTypeOf(caps.virtualization);
    const xml = await this.libvirt.domcapabilitiesXml({ virttype });
    const missingFeatures = await this.libvirt.cpuModelMissingFeatures(parseUnusableCpuModels(xml), virttype);
    return { ...caps, cpuModes: { ...caps.cpuModes, missingFeatures } };
  }

  /** hello with capabilities; retried in the background until it goes out. It goes without the CPU
   * models' missing features, so the host is schedulable at once; a second hello adds them (a hello
   * only updates what the engine knows of the host). */
  private async sendHello(attempt = 0): Promise<void> {
    if (this.stopping || !this.reporter) return;
    try {
      const capabilities = await this.capabilities();
      await this.hello(capabilities);
      this.log.info(
        { virtualization: capabilities.virtualization, reason: capabilities.virtualizationReason },
        'hello sent',
      );
      void this.withMissingFeatures(capabilities)
        .then((full) => (full ? this.hello(full) : undefined))
        .catch((e: Error) => this.log.warn({ err: e.message }, "CPU models' missing features not reported"));
    } catch (e) {
      if (this.stopping) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      this.log.warn({ err: (e as Error).message, retryInMs: delay }, 'hello not sent');
      this.helloTimer = setTimeout(() => void this.sendHello(attempt + 1), delay);
    }
  }

  private async hello(capabilities: HostCapabilities): Promise<void> {
    if (this.stopping || !this.reporter) return;
    await this.reporter.report({
      kind: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      agentVersion: this.version,
      bootId: this.bootId,
      capabilities,
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info('kelpie agent stopping');
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.stats?.stop();
    this.metricsServer?.close();
    this.networking?.stop();
    this.storage?.stop();
    // Redis away, or this host's credentials revoked (the host was removed): a graceful close would
    // wait for it until the forced exit, nothing can be finished through it anyway.
    const redisAway = [this.workerRedis, this.reportRedis].some((r) => r && r.status !== 'ready');
    // Let running commands finish (BullMQ close waits for active jobs), stop taking new ones.
    await this.worker
      ?.close(redisAway)
      .catch((e: Error) => this.log.warn({ err: e.message }, 'worker close failed'));
    await this.inventory?.stop();
    this.heartbeat?.stop();
    await this.reporter?.close();
    if (redisAway) for (const r of [this.reportRedis, this.workerRedis]) r?.disconnect();
    else await Promise.allSettled([this.reportRedis?.quit(), this.workerRedis?.quit()]);
    this.readSessions.close();
    this.log.info('kelpie agent stopped');
  }
}

/** libvirt's virt type for the accelerator the probe chose. */
function virtTypeOf(virtualization: HostCapabilities['virtualization']): 'kvm' | 'qemu' {
  return virtualization === 'kvm' ? 'kvm' : 'qemu';
}
