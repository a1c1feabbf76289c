import { ObjectType, type StreamMessage, type VmNicSpec } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Subscription } from 'rxjs';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { NetworkRepository } from '../networks/network.repository';
import { NicEntity } from '../nics/nic.entity';
import { NicsService } from '../nics/nics.service';
import { REDIS } from '../redis/redis.module';
import { StreamService } from '../stream/stream.service';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { VmEntity } from '../vms/vm.entity';
import { bandwidthOf } from './vm-spec.builder';

export const APPLY_QOS_TASK = 'network.apply-qos';
/** How long a rollout's claim keeps other engines from running the same change. */
const QOS_CLAIM_TTL_MS = 60_000;

/**
 * A vNIC profile's QoS reaches the NICs of running VMs at once: when a network's profiles change
 * (the engine hears its own stream message), every running NIC on the network whose bandwidth is
 * not what its profile now says gets `domiftune` (live and in the definition), in one task on the
 * network that names each NIC it could not change. Stopped VMs get it at their next start (the
 * NIC's definition is stale). Every engine hears the message, and one of them runs the change: the
 * first to claim it in Redis (the claim names the NICs and the bandwidth they get, so a later change of
 * the same profiles is a new claim).
 */
@Injectable()
export class NicQosRollout implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('NicQosRollout');
  private subscription?: Subscription;

  constructor(
    private readonly stream: StreamService,
    private readonly tasks: TasksService,
    private readonly nics: NicsService,
    private readonly checks: VmGuard,
    private readonly networks: NetworkRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  onModuleInit(): void {
    this.subscription = this.stream.messages.subscribe((m) => void this.onStream(m));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private async onStream(m: StreamMessage): Promise<void> {
    if (m.type !== 'object.updated' || m.object.type !== ObjectType.Network) return;
    if (!m.changes.includes('vnicProfiles')) return;
    await this.rollout(m.object.id, m.object.name ?? m.object.id, m.correlationId ?? null).catch((e: Error) =>
      this.logger.warn(`QoS of network ${m.object.id} not applied live: ${e.message}`),
    );
  }

  /** The running NICs of the network whose bandwidth differs from their profile's, and the task
   * changing them (null: nothing to change). */
  async rollout(
    networkId: string,
    networkName: string,
    correlationId: string | null,
  ): Promise<string | null> {
    const active = await this.nics.activeOnNetwork(networkId);
    const profiles = new Map(
      (await this.networks.profilesByIds(active.map((a) => a.nic.profileId))).map((p) => [p.id, p]),
    );
    const stale = active
      .map(({ nic, vm }) => ({ nic, vm, bandwidth: bandwidthOf(profiles.get(nic.profileId)!) ?? {} }))
      // Unknown (never recorded): applied too, domiftune setting what is there changes nothing.
      .filter(
        ({ nic, bandwidth }) =>
          !nic.definedSpec || !isDeepStrictEqual(bandwidth, nic.definedSpec.bandwidth ?? {}),
      );
    if (!stale.length) return null;
    if (!(await this.claim(networkId, stale))) return null;
    const task = await this.tasks.launch(
      {
        type: APPLY_QOS_TASK,
        target: { type: ObjectType.Network, id: networkId, name: networkName },
        requestedBy: 'engine',
        correlationId,
      },
      (ctx) => this.apply(ctx, stale),
    );
    return task.id;
  }

  /** True for the one engine that claims this change first (claims expire: a later identical
   * change, e.g. after a revert, is claimed again). */
  private async claim(networkId: string, stale: { nic: NicEntity; bandwidth: unknown }[]): Promise<boolean> {
    const change = createHash('sha256')
      .update(JSON.stringify(stale.map(({ nic, bandwidth }) => [nic.id, bandwidth])))
      .digest('hex')
      .slice(0, 32);
    const key = `${this.config.redisPrefix}:qos-rollout:${networkId}:${change}`;
    return (await this.redis.set(key, this.stream.engineId, 'PX', QOS_CLAIM_TTL_MS, 'NX')) === 'OK';
  }

  private async apply(
    ctx: TaskContext,
    stale: { nic: NicEntity; vm: VmEntity; bandwidth: NonNullable<VmNicSpec['bandwidth']> }[],
  ): Promise<Record<string, unknown>> {
    const failed: string[] = [];
    let done = 0;
    for (const { nic, vm, bandwidth } of stale) {
      const what = `${vm.name} (${nic.name})`;
      try {
        await this.checks.send(
          vm.hostId!,
          'vm.set-nic-bandwidth',
          { uuid: vm.id, mac: nic.mac, bandwidth, live: true },
          ctx,
        );
        // The definition now differs from its record only by what was just set, if the record was known.
        if (nic.definedSpec) {
          const { bandwidth: _old, ...rest } = nic.definedSpec;
          const hasLimit = bandwidth.inbound || bandwidth.outbound;
          await this.nics.recordDefinedSpec(nic.id, hasLimit ? { ...rest, bandwidth } : rest);
        }
        done++;
      } catch (e) {
        failed.push(`${what}: ${(e as Error).message}`);
      }
      await ctx.progress(Math.round(((done + failed.length) / stale.length) * 100), `QoS applied to ${what}`);
    }
    if (failed.length)
      throw new Error(
        `QoS applied live to ${done} of ${stale.length} NIC(s); not to ${failed.join('; ')} ` +
          '(they get it at their next start)',
      );
    return { nics: done };
  }
}
