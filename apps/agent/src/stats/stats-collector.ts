import type { LibvirtClient } from '../libvirt/operations';
import type { Logger } from '../logger';
import type { Reporter } from '../reports/reporter';
import { DomainCpuTracker, mapDomainStats, type DomainStats } from './domain-stats';
import { HostStatsReader } from './host-stats';

/** Sends a `stats` report every intervalMs: host CPU/memory/KSM and per-VM domstats. */
export class StatsCollector {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly host = new HostStatsReader();
  private readonly cpu = new DomainCpuTracker();
  /** The latest host sample sent (the metrics endpoint shows it). */
  lastHost: Awaited<ReturnType<HostStatsReader['read']>> | null = null;

  constructor(
    private readonly libvirt: LibvirtClient,
    private readonly reporter: Reporter,
    /** name → uuid from the inventory (domstats prints names only). */
    private readonly uuidOfName: (name: string) => string | undefined,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.host.read().catch(() => undefined); // prime the CPU delta
    this.timer = setInterval(() => void this.collect(), this.intervalMs);
  }

  async collect(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const host = await this.host.read();
      this.lastHost = host;
      let domains: DomainStats[] = [];
      try {
        const raw = await this.libvirt.domstats();
        const at = Date.now();
        domains = this.cpu.apply(
          raw.flatMap((r) => {
            const uuid = this.uuidOfName(r.name);
            return uuid ? [mapDomainStats(uuid, r)] : [];
          }),
          at,
        );
      } catch (e) {
        this.log.debug({ err: (e as Error).message }, 'domstats failed; host stats only');
      }
      await this.reporter.tryReport({ kind: 'stats', host, domains });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'stats collection failed');
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
