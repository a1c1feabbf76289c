import { DomainSnapshot, EventSeverity, ObjectRef, ObjectType, VmStatus } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Subject } from 'rxjs';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { VmEntity } from '../vms/vm.entity';
import { MigrationFactsPort } from '../vm-ownership/migration-facts.port';
import { MigrationOwnership } from '../vm-ownership/migration-ownership';
import { ForeignMoves } from './foreign-moves';
import { MissedListings } from './missed-listings';
import { VmRepository } from '../vms/vm.repository';
import type { HostFacts } from '../hosts/host.repository';
import { HostFactsCache } from './host-facts';
import { isActive, vmStatusOf } from '../vms/vm-status.mapping';

const NAME_OK = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Makes the engine's VMs match what a host's libvirt reports. libvirt is the truth for state; the
 * engine owns definitions. Domains Kelpie does not know are recorded as `external` VMs, never
 * silently adopted.
 */
@Injectable()
export class VmStateSyncService {
  private readonly logger = new Logger('VmStateSync');

  constructor(
    private readonly vms: VmRepository,
    private readonly hostFacts: HostFactsCache,
    private readonly stream: StreamService,
    private readonly events: EventsService,
    private readonly missed: MissedListings,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Live migration's rows, asked of that feature (it sits above this one: see MigrationFactsPort). */
  private get facts(): MigrationFactsPort {
    return (this.factsPort ??= this.moduleRef.get(MigrationFactsPort, { strict: false }));
  }
  private factsPort?: MigrationFactsPort;

  /** While a VM migrates, its vm_migration row decides who owns it. */
  private get migrations(): MigrationOwnership {
    return (this.ownership ??= new MigrationOwnership(this.facts));
  }
  private ownership?: MigrationOwnership;
  private readonly foreign = new ForeignMoves();
  /** VMs whose QEMU died under them on a host (libvirt: stopped, reason "crashed"), each told once: by
   * the engine that applied the report. The HA feature restarts the highly available ones. */
  readonly crashes = new Subject<{ vmId: string; hostId: string }>();
  /** A shut-off definition of a VM that runs on another host, left behind where libvirt could not
   * remove it (the source's libvirtd died at the end of a migration, the host was fenced and the VM
   * restarted elsewhere). Started by hand it would run the VM twice on the same disks; the garbage
   * collector removes it at once instead of at its next run. */
  readonly staleCopies = new Subject<{ vmId: string; hostId: string }>();

  /** For features that change a VM's status themselves (e.g. `migrating_from` when a migration starts). */
  async patchVm(
    id: string,
    patch: Partial<Pick<VmEntity, 'status' | 'statusReason' | 'hostId'>>,
  ): Promise<void> {
    const vm = await this.vms.byId(id);
    if (vm) await this.save(vm, patch);
  }

  /** A complete listing: every domain of the host; VMs the engine places there but libvirt lacks are gone.
   * One statement compares the listing with the stored VMs, live migration names the VMs that may be
   * migrating; only those VMs are loaded.
   * `newerEvents`: VMs whose applied domain event is newer than the listing; it leaves them alone. */
  async applyInventory(
    hostId: string,
    domains: DomainSnapshot[],
    newerEvents: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const host = await this.hostFacts.get(hostId);
    if (!host) return;
    const listed = new Map(domains.map((d) => [d.uuid.toLowerCase(), d]));
    const diff = await this.differences(host.id, listed);
    for (const id of newerEvents) {
      diff.changed.delete(id);
      diff.isNew.delete(id);
      listed.delete(id);
    }
    // A VM already in sync here may still be waiting to be taken over by a host it moved to.
    for (const [id, d] of listed)
      if (!diff.isNew.has(id) && !isActive(vmStatusOf(d)) && this.foreign.has(id)) diff.changed.add(id);
    const loaded = diff.changed.size ? await this.vms.byIds(diff.changed) : [];
    const byId = new Map(loaded.map((v) => [v.id, v]));
    const found: [string, DomainSnapshot][] = [];
    for (const [id, d] of listed) {
      const vm = byId.get(id);
      if (vm) await this.apply(host, id, d, vm, diff.mayMigrate);
      else if (diff.isNew.has(id)) found.push([id, d]);
    }
    await this.createExternals(host, found);
    await this.missed.forget([...listed.keys()]);
    for (const vm of loaded)
      if (
        vm.hostId === host.id &&
        !listed.has(vm.id) &&
        (await this.missingTwice(vm, host.id, diff.mayMigrate))
      )
        await this.apply(host, vm.id, null, vm, diff.mayMigrate);
  }

  /** True on the second consecutive listing of `hostId` without the VM (a migrating VM at once: its
   * migration row decides). The first one only remembers the miss (shared by every engine). */
  private async missingTwice(vm: VmEntity, hostId: string, mayMigrate: Set<string>): Promise<boolean> {
    if (mayMigrate.has(vm.id)) {
      await this.missed.forget([vm.id]);
      return true;
    }
    if (await this.missed.missedTwice(vm.id, hostId)) return true;
    this.logger.debug(
      `VM ${vm.name} missing from one listing of its host; detached if the next lacks it too`,
    );
    return false;
  }

  /**
   * Compares a host's listing with the stored VMs. `changed`: VMs the listing would change (state,
   * reason, console port, owner, hardware of external VMs), VMs this host owns that it no longer lists,
   * and VMs that may be migrating; `isNew`: listed domains with no VM; `mayMigrate`: VMs with a running
   * migration row (a superset is fine: decide() checks exactly, and a VM in `changed` that is neither
   * listed nor owned here is loaded and left alone).
   * The migration rows are read after the comparison: a migration that started in between is
   * included, and one that ended in between is left out only when decide(), which reads later still,
   * would find no migration either.
   */
  private async differences(
    hostId: string,
    listed: Map<string, DomainSnapshot>,
  ): Promise<{ changed: Set<string>; isNew: Set<string>; mayMigrate: Set<string> }> {
    const rows = await this.vms.listingDifferences(
      hostId,
      [...listed].map(([id, d]) => ({
        id,
        status: vmStatusOf(d),
        reason: reasonOf(d),
        port: d.vncPort ?? null,
        vcpus: d.vcpus,
        ...memoryOf(d),
      })),
    );
    const mayMigrate = await this.facts.runningVmIds();
    const changed = new Set<string>(mayMigrate);
    const isNew = new Set<string>();
    for (const r of rows) {
      if (r.kind === 'new') {
        isNew.add(r.id);
        changed.delete(r.id);
      } else changed.add(r.id);
    }
    return { changed, isNew, mayMigrate };
  }

  /** One domain changed on a host (libvirt event): `domain` null means it is no longer defined there. */
  async applyDomain(hostId: string, uuid: string, domain: DomainSnapshot | null): Promise<void> {
    const host = await this.hostFacts.get(hostId);
    if (!host) return;
    const id = uuid.toLowerCase();
    await this.missed.forget([id]);
    await this.apply(host, id, domain, (await this.vms.byId(id)) ?? undefined);
  }

  /** The host stopped answering: what runs there is unknown, not down. */
  async markHostVmsUnknown(hostId: string, reason: string): Promise<void> {
    const vms = await this.vms.onHost(hostId);
    for (const vm of vms) {
      if (isActive(vm.status)) await this.save(vm, { status: VmStatus.Unknown, statusReason: reason });
    }
  }

  private async apply(
    host: HostFacts,
    id: string,
    domain: DomainSnapshot | null,
    vm?: VmEntity,
    /** From an inventory: the VMs that may be migrating (others skip the per-VM lookup). */
    mayMigrate?: Set<string>,
  ): Promise<void> {
    if (!vm) {
      if (domain) await this.createExternals(host, [[id, domain]]);
      return;
    }
    const migrating =
      !mayMigrate || mayMigrate.has(vm.id) ? await this.migrations.decide(host, vm, domain) : null;
    if (migrating) {
      if (migrating.patch) await this.save(vm, migrating.patch);
      return;
    }
    const status = vmStatusOf(domain);
    if (vm.hostId && vm.hostId !== host.id) this.foreign.seenElsewhere(vm.id, host.id, domain);
    if (vm.hostId === host.id && !isActive(status)) {
      const moved = this.foreign.takeOver(vm.id);
      if (moved) return this.moveOutsideKelpie(vm, host, moved.hostId, moved.domain);
    }
    if (!domain) {
      // Reports from a host that no longer owns the VM are stale (it moved or was re-homed).
      if (vm.hostId !== host.id) return;
      if (vm.external) return this.removeExternal(vm, host);
      return this.save(vm, {
        status: VmStatus.Down,
        statusReason: 'not defined on its host',
        hostId: null,
        graphicsPort: null,
      });
    }
    if (vm.hostId && vm.hostId !== host.id) {
      if (!isActive(status) && isActive(vm.status) && !vm.external)
        this.staleCopies.next({ vmId: vm.id, hostId: host.id });
      // Another host owns it. Take it over only when it runs here and is no longer active there.
      if (!isActive(status) || isActive(vm.status)) return;
      // A paused incoming domain without a Kelpie migration is no proof of a move (a late report of an
      // earlier migration, or an incoming QEMU libvirt is about to remove): wait until it runs here.
      if (status === VmStatus.MigratingTo) return;
    }
    await this.save(vm, {
      status,
      statusReason: reasonOf(domain),
      hostId: host.id,
      graphicsPort: domain.vncPort ?? null,
      ...(vm.external ? { vcpus: domain.vcpus, ...memoryOf(domain) } : {}),
    });
  }

  private async save(vm: VmEntity, patch: Partial<VmEntity>): Promise<void> {
    const changes = (Object.keys(patch) as (keyof VmEntity)[]).filter((k) => patch[k] !== vm[k]);
    if (changes.length === 0) return;
    const from = vm.status;
    await this.vms.update(vm.id, patch);
    Object.assign(vm, patch);
    const refs = refsOf(vm);
    if (from !== vm.status) {
      await this.stream.publish({
        type: 'vm.status',
        object: refs[0],
        from,
        to: vm.status,
        hostId: vm.hostId,
        reason: vm.statusReason,
        refs,
      });
    }
    await this.stream.publish({
      type: 'object.updated',
      object: refs[0],
      changes: changes as string[],
      data: this.stream.dataOf(ObjectType.Vm, vm),
      refs,
    });
    if (isActive(from) && crashed(vm) && vm.hostId) this.crashes.next({ vmId: vm.id, hostId: vm.hostId });
  }

  /** Domains Kelpie does not know, recorded as external VMs: one insert and one audit event for all
   * of them (a host found with many domains), one `object.created` per VM for the views. */
  private async createExternals(host: HostFacts, all: [string, DomainSnapshot][]): Promise<void> {
    // A domain with Kelpie's metadata and no VM is Kelpie's own leftover (a create or delete that
    // died half-way), not an external VM: the garbage collector removes it after its grace period.
    const found = all.filter(([, d]) => !d.managed);
    if (!found.length) return;
    const names = await this.freeNames(
      host.datacenterId,
      found.map(([, d]) => d.name),
    );
    const rows = found.map(([id, domain], i) =>
      this.vms.build({
        id,
        name: names[i],
        description: `external domain "${domain.name.slice(0, 200)}" found on host ${host.name}`,
        datacenterId: host.datacenterId,
        clusterId: host.clusterId,
        hostId: host.id,
        graphicsPort: domain.vncPort ?? null,
        status: vmStatusOf(domain),
        desiredStatus: vmStatusOf(domain),
        statusReason: reasonOf(domain),
        vcpus: Math.max(1, domain.vcpus),
        ...memoryOf(domain),
        createdBy: 'libvirt',
        external: true,
      }),
    );
    // A row that conflicts was recorded meanwhile by a racing report (or its name was taken): skipped.
    const ids = await this.vms.insertNew(rows);
    if (ids.length < rows.length)
      this.logger.debug(`${rows.length - ids.length} external domain(s) on ${host.name} already recorded`);
    if (!ids.length) return;
    const saved = await this.vms.byIds(ids);
    await Promise.all(
      saved.map((vm) => {
        const refs = refsOf(vm);
        return this.stream.publish({
          type: 'object.created',
          object: refs[0],
          data: this.stream.dataOf(ObjectType.Vm, vm),
          refs,
        });
      }),
    );
    const domainOf = new Map(found);
    const hostRef = { type: ObjectType.Host, id: host.id, name: host.name };
    const vmRefs = saved.map((vm) => refsOf(vm)[0]);
    const message =
      saved.length === 1
        ? `domain ${domainOf.get(saved[0].id)?.name} on host ${host.name} is not managed by Kelpie; shown as external VM ${saved[0].name}`
        : `${saved.length} domains on host ${host.name} are not managed by Kelpie; shown as external VMs ${saved.map((v) => v.name).join(', ')}`;
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'vm.external_found',
      message,
      refs: [...vmRefs, { type: ObjectType.Cluster, id: host.clusterId }, hostRef],
    });
  }

  /** The owner let go of a VM another host runs: it moved without Kelpie (e.g. raw `virsh migrate`). */
  private async moveOutsideKelpie(
    vm: VmEntity,
    from: HostFacts,
    toHostId: string,
    domain: DomainSnapshot,
  ): Promise<void> {
    await this.save(vm, {
      status: vmStatusOf(domain),
      statusReason: reasonOf(domain),
      hostId: toHostId,
      graphicsPort: domain.vncPort ?? null,
    });
    const to = await this.hostFacts.get(toHostId);
    await this.events.record({
      type: 'vm.moved_outside',
      message: `VM ${vm.name} moved from host ${from.name} to ${to?.name ?? toHostId} outside Kelpie`,
      refs: [
        ...refsOf(vm),
        { type: ObjectType.Host, id: from.id, name: from.name },
        ...(to ? [{ type: ObjectType.Host, id: to.id, name: to.name }] : []),
      ],
    });
  }

  private async removeExternal(vm: VmEntity, host: HostFacts): Promise<void> {
    this.foreign.forget(vm.id);
    await this.vms.delete(vm.id);
    const refs = refsOf(vm);
    await this.stream.publish({ type: 'object.deleted', object: refs[0], refs });
    await this.events.record({
      type: 'vm.external_gone',
      message: `external domain ${vm.name} is no longer defined on host ${host.name}`,
      refs: [...refs, { type: ObjectType.Host, id: host.id, name: host.name }],
    });
  }

  /** libvirt allows names Kelpie does not; keep each name when it is valid and free in the datacenter
   * (and not taken by another domain of the same batch), else add a random suffix. */
  private async freeNames(datacenterId: string, libvirtNames: string[]): Promise<string[]> {
    const bases = libvirtNames.map((n) =>
      NAME_OK.test(n) ? n : n.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 50) || 'external',
    );
    const taken = await this.vms.takenNames(datacenterId, bases);
    return bases.map((base) => {
      const name = taken.has(base) ? `${base.slice(0, 55)}-${randomBytes(4).toString('hex')}` : base;
      taken.add(name);
      return name;
    });
  }
}

/** libvirt says QEMU ended without being asked to (killed, died): "shut off (crashed)" or "crashed". */
function crashed(vm: VmEntity): boolean {
  return vm.status === VmStatus.Crashed || (vm.status === VmStatus.Down && vm.statusReason === 'crashed');
}

/** libvirt's reason, except 'unknown' (a never-started domain is "shut off (unknown)"): no reason. */
function reasonOf(domain: DomainSnapshot): string | null {
  return domain.reason && domain.reason !== 'unknown' ? domain.reason : null;
}

function memoryOf(domain: DomainSnapshot): Pick<VmEntity, 'memoryMib' | 'maxMemoryMib'> {
  const memoryMib = Math.max(16, Math.round(domain.memoryKiB / 1024));
  return { memoryMib, maxMemoryMib: Math.max(memoryMib, Math.round(domain.maxMemoryKiB / 1024)) };
}

export function refsOf(vm: VmEntity): ObjectRef[] {
  const refs: ObjectRef[] = [
    { type: ObjectType.Vm, id: vm.id, name: vm.name },
    { type: ObjectType.Cluster, id: vm.clusterId },
  ];
  if (vm.hostId) refs.push({ type: ObjectType.Host, id: vm.hostId });
  return refs;
}
