import { HostStatus, StorageDomainStatus, StorageStatusReport } from '@kelpie/shared-types';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ReportConsumer } from '../agents/report.consumer';
import { HostsService } from '../hosts/hosts.service';
import { StorageDomainsService } from '../storage-domains/storage-domains.service';
import {
  deriveDomainHealth,
  nonOperationalReason,
  UNREACHABLE_STORAGE,
} from '../storage-domains/storage-health';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { poolNameFor } from '../storage-domains/pool-name';
import { PoolActivation } from './pool-activation';
import { PoolResult, StorageLifecycleRepository, toPoolResult } from './storage-lifecycle.repository';

const IN_USE: StorageDomainStatus[] = [StorageDomainStatus.Active, StorageDomainStatus.Degraded];

/**
 * Storage health from the agents' periodic `storage-status` reports: records each host's view of
 * each in-use domain of its datacenter, defines the pool on a serving host that lacks it (a host that
 * came up or joined after the activation), derives each domain's status (active / degraded naming the
 * failing hosts) and turns a host that cannot reach one of them `non_operational`, and back to Up.
 */
@Injectable()
export class StorageHealthService implements OnModuleInit {
  private readonly logger = new Logger('StorageHealth');
  /** `<host>/<domain>` activations under way, so reports arriving meanwhile do not send more. */
  private readonly activating = new Set<string>();

  constructor(
    private readonly repo: StorageLifecycleRepository,
    private readonly domains: StorageDomainsService,
    private readonly hosts: HostsService,
    private readonly guard: VmGuard,
    private readonly reports: ReportConsumer,
    private readonly activation: PoolActivation,
  ) {}

  onModuleInit(): void {
    this.reports.onStorageStatus((r) => this.applyReport(r));
  }

  async applyReport(report: StorageStatusReport): Promise<void> {
    const host = await this.hosts.get(report.hostId).catch(() => null);
    if (!host || (host.status !== HostStatus.Up && host.status !== HostStatus.NonOperational)) return;
    const inUse = await this.repo.domainsInUseFor(host.id);
    for (const sd of inUse) {
      const pool = report.pools.find((p) => p.name === poolNameFor(sd));
      if (pool) {
        await this.repo.record(sd.id, host.id, toPoolResult(pool));
        await this.refreshDomain(sd.id);
      } else this.defineOn(host.id, host.name, sd.id);
    }
    await this.refreshHost(host.id);
  }

  /** An in-use domain's status from its serving hosts' views. */
  async refreshDomain(storageDomainId: string): Promise<void> {
    const sd = await this.domains.get(storageDomainId).catch(() => null);
    if (!sd || !IN_USE.includes(sd.status)) return;
    const { status, reason } = deriveDomainHealth(await this.repo.views(sd.id));
    if (status !== sd.status || reason !== sd.statusReason) {
      await this.domains.setStatus(sd.id, status, reason);
      this.logger.log(`storage domain ${sd.name} is ${status}${reason ? `: ${reason}` : ''}`);
    }
  }

  /** Up ⇄ non_operational by whether the host reaches every in-use domain of its datacenter. */
  async refreshHost(hostId: string): Promise<void> {
    const host = await this.hosts.get(hostId).catch(() => null);
    if (!host) return;
    const reason = nonOperationalReason(await this.repo.failuresOf(host.id));
    if (host.status === HostStatus.Up && reason) {
      await this.hosts.setStatus(host.id, HostStatus.NonOperational, reason);
    } else if (
      host.status === HostStatus.NonOperational &&
      host.statusReason?.startsWith(UNREACHABLE_STORAGE)
    ) {
      if (!reason) await this.hosts.setStatus(host.id, HostStatus.Up, null);
      else if (reason !== host.statusReason)
        await this.hosts.setStatus(host.id, HostStatus.NonOperational, reason);
    }
  }

  /** Defines and starts the pool on a serving host that has none (in the background: reports of
   * this host must not wait for it). */
  private defineOn(hostId: string, hostName: string, storageDomainId: string): void {
    const key = `${hostId}/${storageDomainId}`;
    if (this.activating.has(key)) return;
    this.activating.add(key);
    void (async () => {
      const sd = await this.domains.get(storageDomainId);
      let result: PoolResult;
      try {
        result = toPoolResult(
          await this.guard.send(
            hostId,
            'storage.pool.activate',
            await this.activation.payloadFor(sd, hostId),
          ),
        );
        this.logger.log(`storage domain ${sd.name} defined on host ${hostName}: ${result.status}`);
      } catch (e) {
        result = { status: 'failed', capacityBytes: null, availableBytes: null, error: (e as Error).message };
      }
      // The domain may have left use meanwhile (maintenance): then its view is not recorded.
      const now = await this.domains.get(storageDomainId);
      if (!IN_USE.includes(now.status)) return;
      await this.repo.record(storageDomainId, hostId, result);
      await this.refreshDomain(storageDomainId);
      await this.refreshHost(hostId);
    })()
      .catch((e: Error) =>
        this.logger.warn(`defining storage domain ${storageDomainId} on ${hostName}: ${e.message}`),
      )
      .finally(() => this.activating.delete(key));
  }
}
