import { HostStatus } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { HostsService } from '../hosts/hosts.service';
import { HeartbeatConsumer } from './heartbeat.consumer';
import { HostRepository } from '../hosts/host.repository';
import { VmStateSyncService } from './vm-state-sync.service';

/** Statuses in which silence means trouble. */
const WATCHED: HostStatus[] = [HostStatus.Up, HostStatus.NonOperational, HostStatus.PreparingForMaintenance];

/**
 * Turns hosts whose heartbeats stopped into NonResponsive, and their VMs into "unknown".
 *
 * A host is judged only by what this engine could have seen: silence is measured from the later of
 * the host's last recorded heartbeat and the moment this engine started watching. A starting engine
 * (after its own outage, or a site power cycle where agents start at the same time) therefore gives
 * every host one full timeout to be heard, instead of condemning it for the previous run's silence.
 */
@Injectable()
export class HostMonitorService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HostMonitor');
  private timer?: NodeJS.Timeout;
  private running = false;
  /** When this engine started listening for heartbeats (epoch ms). */
  private watchingSince = Date.now();

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly db: HostRepository,
    private readonly hosts: HostsService,
    private readonly vmSync: VmStateSyncService,
    private readonly heartbeats: HeartbeatConsumer,
  ) {}

  onModuleInit(): void {
    this.watchingSince = Date.now();
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
      const now = Date.now();
      const cutoff = now - this.config.heartbeatTimeoutMs;
      // Still within the grace period of this engine's start: nobody can have been silent long enough.
      if (this.watchingSince > cutoff) return;
      const rows = await this.db.silentSince(WATCHED, new Date(cutoff));
      for (const h of rows) {
        // Heartbeats this engine received but could not record yet (e.g. Postgres was briefly away).
        const last = Math.max(h.last ? new Date(h.last).getTime() : 0, this.heartbeats.lastSeen(h.id) ?? 0);
        if (last >= cutoff) continue;
        const seconds = Math.round((now - Math.max(last, this.watchingSince)) / 1000);
        const reason =
          last >= this.watchingSince
            ? `no heartbeat for ${seconds} s`
            : `no heartbeat in the ${seconds} s since the engine started`;
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
