import { EventSeverity, ObjectType } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Subscription } from 'rxjs';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { RequestMeta } from '../common/http/request-meta';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { VmPowerService } from '../vm-operations/vm-power.service';
import { decideCrashRestart } from './crash-restart-policy';

/** Who restarts a crashed HA VM, in tasks and the audit log. */
const HA_ACTOR = 'ha';

/**
 * A highly available VM whose QEMU crashed on a healthy host is started again on that host, with a
 * back-off, and left down after a few crashes in a row (crash-restart-policy.ts). The host is known
 * alive (its agent reported the crash), so no fencing is needed and the VM cannot run twice.
 * Restart times are kept by the engine that saw the crashes (the one applying that host's reports).
 */
@Injectable()
export class CrashRestartService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CrashRestart');
  private sub?: Subscription;
  private readonly restarts = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly sync: VmStateSyncService,
    private readonly vms: VmRepository,
    private readonly vmPower: VmPowerService,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    this.sub = this.sync.crashes.subscribe(
      ({ vmId, hostId }) =>
        void this.crashed(vmId, hostId).catch((e: Error) =>
          this.logger.warn(`crash of VM ${vmId}: ${e.message}`),
        ),
    );
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
    this.timers.forEach(clearTimeout);
  }

  private async crashed(vmId: string, hostId: string): Promise<void> {
    const vm = await this.vms.byId(vmId);
    if (!vm || !vm.highlyAvailable || vm.external || vm.hostId !== hostId) return;
    const now = Date.now();
    const f = this.config.fencing;
    const decision = decideCrashRestart(this.restarts.get(vmId) ?? [], now, {
      maxRestarts: f.crashRestarts,
      windowMs: f.crashWindowMs,
      backoffMs: f.crashBackoffMs,
    });
    const refs = [refOf(ObjectType.Vm, vm), { type: ObjectType.Host, id: hostId }];
    // The audit events and the start task of one crash share a correlation id.
    const meta: RequestMeta = { actor: HA_ACTOR, correlationId: randomUUID() };
    if (decision.action === 'give-up') {
      await this.events.record({
        severity: EventSeverity.Error,
        type: 'vm.ha_restart_given_up',
        message: `highly available VM ${vm.name} crashed again and is not restarted: ${decision.reason}`,
        refs,
        correlationId: meta.correlationId,
      });
      return;
    }
    this.restarts.set(vmId, [
      ...(this.restarts.get(vmId) ?? []).filter((t) => now - t < f.crashWindowMs),
      now,
    ]);
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'vm.ha_crash_restart',
      message: `highly available VM ${vm.name} crashed on its host: restarting it there (${decision.reason})`,
      refs,
      correlationId: meta.correlationId,
    });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.restart(vm, meta);
    }, decision.delayMs);
    this.timers.add(timer);
  }

  private async restart(vm: VmEntity, meta: RequestMeta): Promise<void> {
    try {
      await this.vmPower.power(vm.id, 'start', {}, meta);
    } catch (err) {
      // Started by someone else meanwhile, host gone, VM deleted…: said once, not retried.
      await this.events.record({
        severity: EventSeverity.Warning,
        type: 'vm.ha_restart_failed',
        message: `highly available VM ${vm.name} was not restarted after its crash: ${(err as Error).message}`,
        refs: [refOf(ObjectType.Vm, vm)],
        correlationId: meta.correlationId,
      });
    }
  }
}
