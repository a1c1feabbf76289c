import { HostStatus } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { HeartbeatConsumer } from './heartbeat.consumer';
import { VmStateSyncService } from './vm-state-sync.service';

/** Statuses in which silence means trouble. */
const WATCHED: HostStatus[] = [HostStatus.Up, HostStatus.PreparingForMaintenance];

/** Turns hosts whose heartbeats stopped into NonResponsive, and their VMs into "unknown". */
@Injectable()
export class HostMonitorService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HostMonitor');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly hosts: HostsService,
    private readonly vmSync: VmStateSyncService,
    private readonly heartbeats: HeartbeatConsumer,
  ) {}

  onModuleInit(): void {
    const every = Math.max(250, Math.min(2000, Math.floor(this.config.heartbeatTimeoutMs / 5)));
    this.timer = setInterval(() => void this.check(), every);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const silent: { id: string; last: Date | null }[] = await this.db.query(
        `SELECT id, last_heartbeat_at AS last FROM host
          WHERE status = ANY($1) AND (last_heartbeat_at IS NULL OR last_heartbeat_at < now() - make_interval(secs => $2))`,
        [WATCHED, this.config.heartbeatTimeoutMs / 1000],
      );
      for (const h of silent) {
        const seconds = h.last ? Math.round((Date.now() - new Date(h.last).getTime()) / 1000) : null;
        const reason = seconds === null ? 'no heartbeat received' : `no heartbeat for ${seconds} s`;
        // VMs first: whoever sees the host NonResponsive must also see its VMs unknown.
        await this.vmSync.markHostVmsUnknown(h.id, `host is non-responsive (${reason})`);
        await this.hosts.setStatus(h.id, HostStatus.NonResponsive, reason);
        this.heartbeats.forget(h.id);
      }
    } catch (err) {
      this.logger.warn(`host check failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
