import {
  AgentReport,
  CommandProgressReport,
  DomainChangedReport,
  HelloReport,
  HostStatus,
  InventoryReport,
  isCompatibleProtocol,
  PROTOCOL_VERSION,
  REPORT_QUEUE,
  StorageStatusReport,
} from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { HostNetworkStateService } from '../host-network-state/host-network-state.service';
import { StatsHistoryService } from '../stats/stats-history.service';
import { TasksService } from '../tasks/tasks.service';
import { whileDatabaseAway } from '../common/errors/database-unavailable';
import { EngineMetrics } from '../common/metrics/engine-metrics';
import { bullConnection } from './bullmq-connection';
import { GuestEvents } from './guest-events';
import { HostFactsCache } from './host-facts';
import { KeyedSerializer } from './keyed-serializer';
import { ReportFreshness } from './report-freshness';
import { VmStateSyncService } from './vm-state-sync.service';

/** Reports handled at once by one engine; one host's reports still apply in the order sent. */
const CONCURRENCY = 16;
/** How long a report waits for an unreachable database before it is given up (failed job). */
const REPORT_RETRY_MS = 60_000;

/**
 * Applies what agents report (hello, inventory, domain changes, stats, command progress) to the
 * inventory. Reports of different hosts are applied in parallel (the work is mostly waiting on
 * Postgres); reports of one host go through a per-host serializer, in the order they were fetched.
 */
@Injectable()
export class ReportConsumer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Reports');
  private worker?: Worker;
  private readonly perHost = new KeyedSerializer();
  private connection?: Redis;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly hosts: HostsService,
    private readonly hostFacts: HostFactsCache,
    private readonly vmSync: VmStateSyncService,
    private readonly stats: StatsHistoryService,
    private readonly tasks: TasksService,
    private readonly networks: HostNetworkStateService,
    private readonly freshness: ReportFreshness,
    private readonly guestEvents: GuestEvents,
    @Optional() private readonly metrics?: EngineMetrics,
  ) {}

  onModuleInit(): void {
    this.connection = bullConnection(this.config, 'reports');
    this.worker = new Worker(REPORT_QUEUE, (job) => this.inOrder(job), {
      connection: this.connection,
      prefix: this.config.redisPrefix,
      concurrency: CONCURRENCY,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 200 },
    });
    this.worker.on('error', (err) => this.logger.debug(`worker: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    // Forced: with Redis unreachable a graceful close would wait for it forever.
    this.connection?.disconnect();
    await this.worker?.close(true);
  }

  private inOrder(job: Job): Promise<void> {
    const hostId = (job.data as { hostId?: unknown } | undefined)?.hostId;
    // A report is applied once Postgres answers again (restart, failover): dropping it would leave the
    // inventory behind libvirt until the next full listing. Later reports of the host wait behind it.
    return this.perHost.run(typeof hostId === 'string' ? hostId : '', () =>
      whileDatabaseAway(
        () => this.handle(job),
        REPORT_RETRY_MS,
        (err) => this.logger.warn(`database unavailable, report kept for retry: ${err.message}`),
      ),
    );
  }

  private async handle(job: Job): Promise<void> {
    const parsed = AgentReport.safeParse(job.data);
    if (!parsed.success) {
      this.logger.warn(`rejected a malformed agent report: ${parsed.error.message}`);
      return;
    }
    const report = parsed.data;
    const host = await this.hostFacts.get(report.hostId);
    if (!host) {
      this.logger.debug(`report from unknown host ${report.hostId} ignored`);
      return;
    }
    // An agent the engine refused is not trusted with the inventory.
    if (
      host.status === HostStatus.Error &&
      host.statusReason?.includes('protocol') &&
      report.kind !== 'hello'
    )
      return;
    this.metrics?.reports.inc({ kind: report.kind });
    switch (report.kind) {
      case 'hello':
        return this.hello(report);
      case 'inventory':
        return this.inventory(report);
      case 'domain-changed':
        return this.domainChanged(report);
      case 'stats':
        return this.stats.record(report);
      case 'command-progress':
        return this.progress(report);
      case 'host-network':
        return this.networks.record(report.hostId, report.network);
      case 'storage-status':
        for (const handler of this.storageStatus) await handler(report);
        return;
    }
  }

  /** The storage and HA features sit above the agents feature: they register here for the storage
   * reports (pool states; the other hosts' lease records). */
  private readonly storageStatus: ((report: StorageStatusReport) => Promise<void>)[] = [];
  onStorageStatus(handler: (report: StorageStatusReport) => Promise<void>): void {
    this.storageStatus.push(handler);
  }

  private async hello(report: HelloReport): Promise<void> {
    await this.hosts.updateRuntime(report.hostId, {
      capabilities: report.capabilities,
      agentProtocolVersion: report.protocolVersion,
    });
    if (!isCompatibleProtocol(report.protocolVersion)) {
      await this.hosts.setStatus(
        report.hostId,
        HostStatus.Error,
        `agent speaks protocol ${report.protocolVersion}, this engine needs ${PROTOCOL_VERSION}: upgrade the agent`,
      );
      // The host's next report must be refused already, before the stream message arrives.
      this.hostFacts.forget(report.hostId);
    }
  }

  private async inventory(report: InventoryReport): Promise<void> {
    if (!report.listedAt) return this.vmSync.applyInventory(report.hostId, report.domains);
    const admitted = await this.freshness.admitListing(report.hostId, report.listedAt);
    if (!admitted.fresh) {
      this.logger.debug(`stale listing of host ${report.hostId} (taken ${report.listedAt}) dropped`);
      return;
    }
    return this.vmSync.applyInventory(report.hostId, report.domains, admitted.newerEvents);
  }

  private async domainChanged(report: DomainChangedReport): Promise<void> {
    const vmId = report.uuid.toLowerCase();
    // A fact whatever the order it arrives in (the state it brings may be stale, the expiry is not).
    await this.guestEvents.seen(vmId, report.event, report.detail, report.observedAt);
    if (!(await this.freshness.admitEvent(report.hostId, vmId, report.observedAt))) {
      this.logger.debug(
        `stale ${report.event} event of domain ${vmId} on host ${report.hostId} (seen ${report.observedAt}) dropped`,
      );
      return;
    }
    return this.vmSync.applyDomain(report.hostId, report.uuid, report.domain);
  }

  private async progress(report: CommandProgressReport): Promise<void> {
    if (!report.taskId) return;
    await this.tasks.progress(report.taskId, report.percent, report.message).catch((err: Error) => {
      this.logger.debug(`progress for task ${report.taskId} dropped: ${err.message}`);
    });
  }
}
