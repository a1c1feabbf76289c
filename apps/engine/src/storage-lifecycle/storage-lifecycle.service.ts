import {
  ObjectType,
  PoolState,
  statusPhrase,
  StorageDomainStatus,
  Task,
  TaskStep,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { DomainError, invalidState } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainsService } from '../storage-domains/storage-domains.service';
import { LifecycleAction, mayStart } from '../storage-domains/storage-health';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { poolNameFor } from '../storage-domains/pool-name';
import { PoolActivation } from './pool-activation';
import { poolSpecFor } from './pool-spec';
import { StorageHealthService } from './storage-health.service';
import { mapStorageDomainHostStatus, StorageDomainHostStatusResponse } from './storage-domain-host.response';
import { StorageLifecycleRepository, toPoolResult } from './storage-lifecycle.repository';

export const STORAGE_TASK = {
  attach: 'storage_domain.attach',
  activate: 'storage_domain.activate',
  maintenance: 'storage_domain.maintenance',
  detach: 'storage_domain.detach',
} as const;

/** What one host did in a step, on the task's result. */
interface HostOutcome {
  hostId: string;
  hostName: string;
  ok: boolean;
  error: string | null;
  capacityBytes?: number | null;
  availableBytes?: number | null;
}

/**
 * A storage domain's lifecycle on the hosts of its datacenter, one task per step with one task step
 * per host: attach → activate (every serving host defines and starts the pool) → maintenance (every
 * host stops and undefines it; refused while running VMs use it) → detach.
 */
@Injectable()
export class StorageLifecycleService {
  constructor(
    private readonly domains: StorageDomainsService,
    private readonly repo: StorageLifecycleRepository,
    private readonly tasks: TasksService,
    private readonly guard: VmGuard,
    private readonly health: StorageHealthService,
    private readonly activation: PoolActivation,
  ) {}

  async attach(id: string, meta: RequestMeta): Promise<Task> {
    const sd = await this.checked(id, 'attach');
    return this.launch(STORAGE_TASK.attach, sd, meta, [], async (ctx) => {
      await ctx.checkpoint('attaching', { storageDomainId: sd.id });
      return this.attached(sd, meta);
    });
  }

  /** attach's only step (idempotent: an adopting engine runs it again). */
  async attached(sd: StorageDomainEntity, meta: RequestMeta): Promise<Record<string, unknown>> {
    await this.domains.setStatus(sd.id, StorageDomainStatus.Inactive, null, meta);
    return { storageDomainId: sd.id, status: StorageDomainStatus.Inactive };
  }

  async activate(id: string, meta: RequestMeta): Promise<Task> {
    const sd = await this.checked(id, 'activate');
    poolSpecFor(sd); // 422 for a type without pools yet, before anything is written
    const hosts = await this.repo.hostsOf(sd.datacenterId);
    if (!hosts.length) {
      throw invalidState(`no host of storage domain ${sd.name}'s datacenter is up to activate it on`, [
        { reason: 'no host up in the datacenter', ref: refOf(ObjectType.StorageDomain, sd) },
      ]);
    }
    const before = sd.status;
    return this.launch(STORAGE_TASK.activate, sd, meta, hostSteps(hosts), async (ctx) => {
      await ctx.checkpoint('activating', { storageDomainId: sd.id, hostIds: hosts.map((h) => h.id), before });
      return this.activateOn(ctx, sd, hosts, before, meta);
    });
  }

  /** Every host defines and starts the pool (idempotent per host: an adopting engine asks each
   * host again and gets its pool state); the domain is active when at least one host serves it. */
  async activateOn(
    ctx: TaskContext,
    sd: StorageDomainEntity,
    hosts: HostEntity[],
    before: StorageDomainStatus,
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    const spec = poolSpecFor(sd);
    const outcomes = await this.onEachHost(ctx, hosts, async (host) => {
      const payload = await this.activation.payloadFor(sd, host.id);
      const state = await this.guard.send(host, 'storage.pool.activate', payload, ctx);
      await this.repo.record(sd.id, host.id, toPoolResult(state));
      return state;
    });
    if (outcomes.every((o) => !o.ok)) {
      // Nothing serves it: undo the definitions so no host keeps retrying a pool nobody uses.
      await Promise.all(
        hosts.map((h) =>
          this.guard.send(h, 'storage.pool.deactivate', { name: spec.name }, ctx).catch(() => undefined),
        ),
      );
      await this.repo.forget(sd.id);
      await this.domains.setStatus(sd.id, before, null, meta);
      throw new DomainError(
        'unprocessable',
        `storage domain ${sd.name} could not be activated on any host: ${describe(outcomes)}`,
      );
    }
    // The pools run on the hosts, the domain is not recorded active yet: the step crash tests stop at.
    await ctx.checkpoint('activated', {});
    await this.domains.setStatus(sd.id, StorageDomainStatus.Active, null, meta);
    await this.health.refreshDomain(sd.id);
    for (const h of hosts) await this.health.refreshHost(h.id);
    return { storageDomainId: sd.id, hosts: outcomes };
  }

  async maintenance(id: string, meta: RequestMeta): Promise<Task> {
    const sd = await this.checked(id, 'maintenance');
    const vms = await this.repo.vmsUsing(sd.id);
    if (vms.length) {
      throw invalidState(
        `storage domain ${sd.name} is used by running VMs: ${vms.map((v) => v.name).join(', ')}; stop or move them first`,
        vms.map((v) => ({ reason: `VM is ${statusPhrase(v.status)}`, ref: refOf(ObjectType.Vm, v) })),
      );
    }
    const hosts = await this.repo.hostsOf(sd.datacenterId);
    return this.launch(STORAGE_TASK.maintenance, sd, meta, hostSteps(hosts), async (ctx) => {
      await ctx.checkpoint('deactivating', { storageDomainId: sd.id, hostIds: hosts.map((h) => h.id) });
      return this.deactivateOn(ctx, sd, hosts, meta);
    });
  }

  /** Every host stops and undefines the pool (idempotent per host: an adopting engine runs it again). */
  async deactivateOn(
    ctx: TaskContext,
    sd: StorageDomainEntity,
    hosts: HostEntity[],
    meta: RequestMeta,
  ): Promise<Record<string, unknown>> {
    // First: no host may count it as in use any more (nor be non-operational because of it).
    await this.domains.setStatus(sd.id, StorageDomainStatus.Maintenance, null, meta);
    const outcomes = await this.onEachHost(ctx, hosts, async (host) => {
      await this.guard.send(host, 'storage.pool.deactivate', { name: poolNameFor(sd) }, ctx);
    });
    await this.repo.forget(sd.id);
    for (const h of hosts) await this.health.refreshHost(h.id);
    return { storageDomainId: sd.id, hosts: outcomes };
  }

  async detach(id: string, meta: RequestMeta): Promise<Task> {
    const sd = await this.checked(id, 'detach');
    return this.launch(STORAGE_TASK.detach, sd, meta, [], async (ctx) => {
      await ctx.checkpoint('detaching', { storageDomainId: sd.id });
      return this.detached(sd, meta);
    });
  }

  /** detach's steps (idempotent: an adopting engine runs them again). */
  async detached(sd: StorageDomainEntity, meta: RequestMeta): Promise<Record<string, unknown>> {
    await this.repo.forget(sd.id);
    await this.domains.setStatus(sd.id, StorageDomainStatus.Detached, null, meta);
    return { storageDomainId: sd.id, status: StorageDomainStatus.Detached };
  }

  /** Each host's view of the domain (every host that ever reported, whatever its status). */
  async hostViews(id: string): Promise<StorageDomainHostStatusResponse[]> {
    await this.domains.get(id);
    return (await this.repo.views(id, false)).map(mapStorageDomainHostStatus);
  }

  private async checked(id: string, action: LifecycleAction): Promise<StorageDomainEntity> {
    const sd = await this.domains.get(id);
    if (!mayStart(action, sd.status)) {
      throw invalidState(`storage domain ${sd.name} is ${statusPhrase(sd.status)}: cannot ${action} it`, [
        { reason: `domain is ${sd.status}`, ref: refOf(ObjectType.StorageDomain, sd) },
      ]);
    }
    return sd;
  }

  private launch(
    type: string,
    sd: StorageDomainEntity,
    meta: RequestMeta,
    steps: TaskStep[],
    work: (ctx: TaskContext) => Promise<Record<string, unknown>>,
  ): Promise<Task> {
    const target = refOf(ObjectType.StorageDomain, sd);
    return this.tasks.launch(
      { type, target, requestedBy: meta.actor, correlationId: meta.correlationId, steps, locks: [target] },
      work,
    );
  }

  /** Runs `act` on every host at once; each host's outcome becomes its task step. */
  private async onEachHost(
    ctx: TaskContext,
    hosts: HostEntity[],
    act: (host: HostEntity) => Promise<PoolState | void>,
  ): Promise<HostOutcome[]> {
    const steps = hostSteps(hosts);
    let done = 0;
    const outcomes = await Promise.all(
      hosts.map(async (host, i): Promise<HostOutcome> => {
        let outcome: HostOutcome;
        try {
          const state = await act(host);
          outcome = {
            hostId: host.id,
            hostName: host.name,
            ok: state ? state.active : true,
            error: state ? toPoolResult(state).error : null,
            ...(state ? { capacityBytes: state.capacityBytes, availableBytes: state.availableBytes } : {}),
          };
        } catch (e) {
          outcome = { hostId: host.id, hostName: host.name, ok: false, error: (e as Error).message };
        }
        steps[i] = { ...steps[i]!, status: outcome.ok ? 'done' : 'failed', message: outcome.error ?? 'done' };
        done++;
        await ctx
          .progress((done / hosts.length) * 100, `${done} of ${hosts.length} host(s)`, { steps: [...steps] })
          .catch(() => undefined);
        return outcome;
      }),
    );
    return outcomes;
  }
}

const hostSteps = (hosts: HostEntity[]): TaskStep[] =>
  hosts.map((h) => ({ name: `host ${h.name}`, objectId: h.id, status: 'pending' }));

const describe = (outcomes: HostOutcome[]) =>
  outcomes.map((o) => `${o.hostName}: ${o.error ?? 'failed'}`).join('; ');
