import { STORAGE_POOL_PREFIX, type PoolState } from '@kelpie/shared-types';
import { isDomainPool, type PoolOperations } from '../libvirt/operations/pools';
import { HostLeaseObserver, writeLeaseTargets } from '../leases/host-leases';
import type { Logger } from '../logger';
import type { Reporter } from '../reports/reporter';

/** Checks every storage domain pool of the host every intervalMs and sends a `storage-status`
 * report (a stopped pool is restarted, a running one refreshed: see PoolOperations.check). With it go
 * the host leases: the running file-system domains are listed for this host's lease renewer, and the
 * other hosts' lease records found there are reported (ADR 0037). */
export class StorageMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly leases: HostLeaseObserver;

  constructor(
    private readonly pools: PoolOperations,
    private readonly reporter: Reporter,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly host: { id: string; leaseTargetsFile: string },
  ) {
    this.leases = new HostLeaseObserver(host.id);
  }

  start(): void {
    if (this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  async check(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const states: PoolState[] = [];
      // One at a time: a hung mount must not start a virsh per pool at once.
      const names = await this.pools.names();
      for (const name of names.filter(isDomainPool)) states.push(await this.pools.check(name));
      const dirs = await this.leaseDirectories(names, states);
      await writeLeaseTargets(this.host.leaseTargetsFile, this.host.id, dirs);
      const leases = await this.leases.observe(dirs);
      await this.reporter.tryReport({ kind: 'storage-status', pools: states, leases });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'storage check failed');
    } finally {
      this.running = false;
    }
  }

  /** The directories of the running file-system pools Kelpie serves (`kelpie-*`: the domains' pools,
   * and a pool an older setup made for a domain's directory, like the lab's `kelpie-shared`). */
  private async leaseDirectories(names: string[], checked: PoolState[]): Promise<string[]> {
    const dirs: string[] = [];
    for (const name of names.filter((n) => n.startsWith(STORAGE_POOL_PREFIX))) {
      const active = checked.find((p) => p.name === name)?.active ?? (await this.pools.isActive(name));
      const dir = active ? await this.pools.directoryOf(name).catch(() => null) : null;
      if (dir && !dirs.includes(dir)) dirs.push(dir);
    }
    return dirs;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
