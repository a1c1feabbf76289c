import { STORAGE_POOL_PREFIX, type PoolState } from '@kelpie/shared-types';
import type { PoolOperations } from '../libvirt/operations/pools';
import type { Logger } from '../logger';
import type { Reporter } from '../reports/reporter';

/** Pools the engine made for storage domains: `kelpie-<domain uuid>` (not the lab's `kelpie-shared`,
 * nor pools an admin made by hand). */
const DOMAIN_POOL = new RegExp(
  `^${STORAGE_POOL_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
);
export const isDomainPool = (name: string) => DOMAIN_POOL.test(name);

/** Checks every storage domain pool of the host every intervalMs and sends a `storage-status`
 * report (a stopped pool is restarted, a running one refreshed: see PoolOperations.check). */
export class StorageMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly pools: PoolOperations,
    private readonly reporter: Reporter,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

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
      for (const name of (await this.pools.names()).filter(isDomainPool))
        states.push(await this.pools.check(name));
      await this.reporter.tryReport({ kind: 'storage-status', pools: states });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'storage check failed');
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
