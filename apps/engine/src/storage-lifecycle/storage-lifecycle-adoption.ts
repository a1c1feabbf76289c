import { StorageDomainStatus } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainsService } from '../storage-domains/storage-domains.service';
import { TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { STORAGE_DESTROY_TASK, StorageDestroyService } from './storage-destroy.service';
import { StorageLifecycleRepository } from './storage-lifecycle.repository';
import { STORAGE_TASK, StorageLifecycleService } from './storage-lifecycle.service';

/**
 * Adopts the storage-domain lifecycle tasks of a dead engine. Each is a set of per-host steps that
 * are idempotent on the host (defining and starting a pool that already runs answers its state,
 * stopping one that is gone is a no-op, deleting a deleted volume succeeds): the adopter asks every
 * host of the checkpoint again, which both tells what the dead engine got done and finishes the
 * rest, and the task ends as the original would have, from the hosts' answers.
 */
@Injectable()
export class StorageLifecycleAdoption implements OnModuleInit {
  constructor(
    private readonly tasks: TasksService,
    private readonly domains: StorageDomainsService,
    private readonly repo: StorageLifecycleRepository,
    private readonly lifecycle: StorageLifecycleService,
    private readonly destroyer: StorageDestroyService,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(STORAGE_TASK.attach, (ctx) => this.simple(ctx, 'attach'));
    this.tasks.registerAdopter(STORAGE_TASK.detach, (ctx) => this.simple(ctx, 'detach'));
    this.tasks.registerAdopter(STORAGE_TASK.activate, (ctx, cp) => this.activate(ctx, cp));
    this.tasks.registerAdopter(STORAGE_TASK.maintenance, (ctx, cp) => this.maintenance(ctx, cp));
    this.tasks.registerAdopter(STORAGE_DESTROY_TASK, (ctx, cp) => this.destroy(ctx, cp));
  }

  /** attach / detach write only records: done again, they end as the original would have. */
  async simple(ctx: TaskContext, action: 'attach' | 'detach'): Promise<Record<string, unknown>> {
    const sd = await this.domain(ctx);
    const meta = metaOf(ctx);
    return action === 'attach' ? this.lifecycle.attached(sd, meta) : this.lifecycle.detached(sd, meta);
  }

  async activate(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const sd = await this.domain(ctx);
    const hosts = await this.hosts(ctx, cp);
    const before = (cp.before as StorageDomainStatus | undefined) ?? StorageDomainStatus.Inactive;
    return this.lifecycle.activateOn(ctx, sd, hosts, before, metaOf(ctx));
  }

  async maintenance(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const sd = await this.domain(ctx);
    return this.lifecycle.deactivateOn(ctx, sd, await this.hosts(ctx, cp), metaOf(ctx));
  }

  async destroy(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const sd = await this.domains.get(ctx.task.target!.id).catch(() => null);
    // Removing the domain record is the task's very last step: gone means everything was done.
    if (!sd) return { storageDomainId: ctx.task.target!.id, alreadyDeleted: true };
    const disks = await this.destroyer.disksOf(sd.id);
    return this.destroyer.destroyOn(ctx, sd, await this.hosts(ctx, cp), disks, metaOf(ctx));
  }

  private async domain(ctx: TaskContext): Promise<StorageDomainEntity> {
    return this.domains.get(ctx.task.target!.id).catch(() => {
      throw new TaskUnknowable(
        `storage domain ${ctx.task.target!.name ?? ctx.task.target!.id} is gone since the engine running ${ctx.task.type} stopped; check the hosts' pools (virsh pool-list --all)`,
      );
    });
  }

  /** The hosts the dead engine was driving; every one of them is asked again. */
  private async hosts(ctx: TaskContext, cp: TaskCheckpoint): Promise<HostEntity[]> {
    const ids = Array.isArray(cp.hostIds) ? (cp.hostIds as string[]) : [];
    const hosts = await this.repo.hostsById(ids);
    await ctx
      .progress(0, `engine stopped; asking the ${hosts.length} host(s) it was driving again`)
      .catch(() => undefined);
    return hosts;
  }
}

const metaOf = (ctx: TaskContext) => ({
  actor: ctx.task.requestedBy,
  correlationId: ctx.task.correlationId ?? ctx.task.id,
});
