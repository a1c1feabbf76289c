import { EventSeverity, ObjectType } from '@kelpie/shared-types';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { CommandBus } from '../agents/command-bus.service';
import { VmStateSyncService } from '../agents/vm-state-sync.service';
import { EventsService } from '../events/events.service';
import { isActive } from '../vms/vm-status.mapping';
import { GcRepository } from './gc.repository';

/** A copy whose removal failed is tried again on a later report, not on every one. */
export const STALE_COPY_RETRY_MS = 60_000;

/**
 * Undefines a stale copy as soon as a host reports one: a shut-off definition of a VM that runs on
 * another host (libvirt could not remove it: the source's libvirtd died at the end of a migration,
 * or the host was fenced and the VM restarted elsewhere). The garbage collector would remove it at
 * its next run, after its grace period; until then the VM is defined twice, and a start by hand
 * there would run it twice on the same disks. Only the definition goes (the disks are the running
 * VM's), and the agent keeps a copy that runs after all (`onlyIfInactive`).
 */
@Injectable()
export class StaleCopyRemover implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StaleCopyRemover');
  private sub?: Subscription;
  /** host:vm → when its removal was last tried (in flight or failed). */
  private readonly tried = new Map<string, number>();

  constructor(
    private readonly sync: VmStateSyncService,
    private readonly db: GcRepository,
    private readonly bus: CommandBus,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    this.sub = this.sync.staleCopies.subscribe(
      ({ vmId, hostId }) =>
        void this.remove(vmId, hostId).catch((e: Error) =>
          this.logger.warn(`stale copy of VM ${vmId} on host ${hostId}: ${e.message}`),
        ),
    );
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
  }

  /** Undefines the copy on `hostId` when the VM still runs on another host; false when it did not. */
  async remove(vmId: string, hostId: string, now = Date.now()): Promise<boolean> {
    const key = `${hostId}:${vmId}`;
    const last = this.tried.get(key);
    if (last !== undefined && now - last < STALE_COPY_RETRY_MS) return false;
    this.tried.set(key, now);
    const [vm] = await this.db.knownVms([vmId]);
    // Read after the report: a VM that stopped or came back to this host meanwhile is no stale copy.
    if (!vm || !vm.host_id || vm.host_id === hostId || !isActive(vm.status)) {
      this.tried.delete(key);
      return false;
    }
    await this.bus.send(hostId, 'vm.undefine', { uuid: vmId, onlyIfInactive: true });
    this.tried.delete(key);
    const hostName = (await this.db.hostNames([hostId])).get(hostId) ?? hostId;
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'gc.domain_removed',
      message: `undefined a stale copy of VM ${vm.name} (${vmId}) on host ${hostName}: the VM runs on ${vm.host_name ?? vm.host_id}; its disks were kept`,
      refs: [
        { type: ObjectType.Host, id: hostId, name: hostName },
        { type: ObjectType.Vm, id: vmId, name: vm.name },
      ],
    });
    return true;
  }
}
