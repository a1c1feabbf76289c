import { DomainSnapshot, HostStatus, VmStatus } from '@kelpie/shared-types';
import type { ModuleRef } from '@nestjs/core';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { VmEntity } from '../vms/vm.entity';
import { HostFactsCache } from './host-facts';
import type { MissedListings } from './missed-listings';
import type { VmRepository } from '../vms/vm.repository';
import type { MigrationFactsPort } from '../vm-ownership/migration-facts.port';
import { VmStateSyncService } from './vm-state-sync.service';

const HOST = {
  id: 'host-1',
  name: 'h1',
  clusterId: 'c1',
  datacenterId: 'd1',
  status: HostStatus.Up,
  statusReason: null,
};
const VM_ID = '6f1c1a57-3a53-4d5c-9d34-2f1b0b0f0a01';

function domain(): DomainSnapshot {
  return {
    uuid: VM_ID,
    name: 'vm1',
    state: 'running',
    reason: 'booted',
    vcpus: 1,
    memoryKiB: 131072,
    maxMemoryKiB: 131072,
  } as DomainSnapshot;
}

/** MissedListings as Redis keeps it, in a Map. */
function inMemoryMisses(): MissedListings {
  const misses = new Map<string, string>();
  return {
    missedTwice: async (vmId: string, hostId: string) => {
      if (misses.get(vmId) === hostId) return misses.delete(vmId);
      misses.set(vmId, hostId);
      return false;
    },
    forget: async (ids: string[]) => ids.forEach((id) => misses.delete(id)),
  } as unknown as MissedListings;
}

/** Live migration's answers: no migration runs unless `running` names the VM. */
function migrationFacts(running: string[] = []) {
  return {
    runningVmIds: jest.fn(async () => new Set(running)),
    activeOf: jest.fn(async (vmId: string) =>
      running.includes(vmId) ? { id: 'm1', source_host_id: HOST.id, target_host_id: 'host-2' } : undefined,
    ),
    recordFact: jest.fn(async () => ({ target_running_at: null, source_gone_at: new Date() })),
  };
}

/** The sync over one stored VM that runs on HOST; the repository answers like Postgres would. */
function syncOverOneVm(status: VmStatus = VmStatus.Up, facts = migrationFacts()) {
  const vm = {
    id: VM_ID,
    name: 'vm1',
    clusterId: 'c1',
    hostId: HOST.id,
    status,
    statusReason: null,
    graphicsPort: null,
    external: false,
  } as unknown as VmEntity;
  const updates: Partial<VmEntity>[] = [];
  const vms = {
    byIds: jest.fn(async () => [vm]),
    byId: jest.fn(async () => vm),
    update: jest.fn(async (_id: string, patch: Partial<VmEntity>) => void updates.push(patch)),
    // The stored VM differs from a listing that lacks it or comes from another host, and matches
    // its own host's listing that has it.
    listingDifferences: jest.fn(async (host: string, listed: { id: string }[]) =>
      host === vm.hostId && listed.some((d) => d.id === VM_ID) ? [] : [{ id: VM_ID, kind: 'changed' }],
    ),
  };
  const sync = new VmStateSyncService(
    vms as unknown as VmRepository,
    { get: jest.fn(async (id: string) => ({ ...HOST, id, name: id })) } as unknown as HostFactsCache,
    {
      publish: jest.fn(async () => undefined),
      dataOf: (_type: string, o: object) => o,
    } as unknown as StreamService,
    { record: jest.fn(async () => undefined) } as unknown as EventsService,
    inMemoryMisses(),
    { get: () => facts as MigrationFactsPort } as unknown as ModuleRef,
  );
  return { sync, updates, vms };
}

const detached = { status: VmStatus.Down, statusReason: 'not defined on its host', hostId: null };

describe('VmStateSyncService: detaching a VM from its host', () => {
  it('keeps the VM after one listing without it and detaches it after the second in a row', async () => {
    const { sync, updates } = syncOverOneVm();

    await sync.applyInventory(HOST.id, []);
    expect(updates).toEqual([]);

    await sync.applyInventory(HOST.id, []);
    expect(updates).toEqual([expect.objectContaining(detached)]);
  });

  it('starts counting again when a listing in between shows the VM', async () => {
    const { sync, updates } = syncOverOneVm();

    await sync.applyInventory(HOST.id, []);
    await sync.applyInventory(HOST.id, [domain()]);
    await sync.applyInventory(HOST.id, []);

    expect(updates).toEqual([]);
  });

  it('detaches at once on a libvirt undefine event', async () => {
    const { sync, updates } = syncOverOneVm();

    await sync.applyDomain(HOST.id, VM_ID, null);

    expect(updates).toEqual([expect.objectContaining(detached)]);
  });
});

describe('VmStateSyncService: a stale copy on another host', () => {
  const shutOff = () => ({ ...domain(), state: 'shutoff', reason: 'migrated' }) as DomainSnapshot;
  const staleOf = (sync: VmStateSyncService) => {
    const seen: { vmId: string; hostId: string }[] = [];
    sync.staleCopies.subscribe((s) => seen.push(s));
    return seen;
  };

  it('names a shut-off definition on host-2 of a VM that runs on its own host, and changes nothing', async () => {
    const { sync, updates } = syncOverOneVm(VmStatus.Up);
    const seen = staleOf(sync);
    await sync.applyInventory('host-2', [shutOff()]);
    expect(seen).toEqual([{ vmId: VM_ID, hostId: 'host-2' }]);
    expect(updates).toEqual([]);
  });

  it("leaves a stopped VM's other definitions alone (it belongs to its cluster, any copy may be started)", async () => {
    const { sync } = syncOverOneVm(VmStatus.Down);
    const seen = staleOf(sync);
    await sync.applyInventory('host-2', [shutOff()]);
    expect(seen).toEqual([]);
  });

  it('leaves a VM under a running migration to the migration', async () => {
    const { sync } = syncOverOneVm(VmStatus.Up, migrationFacts([VM_ID]));
    const seen = staleOf(sync);
    await sync.applyInventory('host-2', [shutOff()]);
    expect(seen).toEqual([]);
  });
});

describe('VmStateSyncService: another host reporting the VM', () => {
  it('does not move a stopped VM to a host that shows it paused for an incoming migration Kelpie did not start', async () => {
    const { sync, updates } = syncOverOneVm(VmStatus.Down);

    await sync.applyDomain('host-2', VM_ID, { ...domain(), state: 'paused', reason: 'incoming migration' });

    expect(updates).toEqual([]);
  });

  it('moves it once it runs there (a move made outside Kelpie)', async () => {
    const { sync, updates } = syncOverOneVm(VmStatus.Down);

    await sync.applyDomain('host-2', VM_ID, domain());

    expect(updates).toEqual([expect.objectContaining({ hostId: 'host-2', status: VmStatus.Up })]);
  });
});

describe('VmStateSyncService: a listing and live migration', () => {
  it('asks live migration which VMs may be migrating, and no per-VM question when none is', async () => {
    const facts = migrationFacts();
    const { sync, updates } = syncOverOneVm(VmStatus.Up, facts);

    await sync.applyInventory(HOST.id, []);

    expect(facts.runningVmIds).toHaveBeenCalledTimes(1);
    expect(facts.activeOf).not.toHaveBeenCalled();
    expect(updates).toEqual([]);
  });

  it('lets the migration decide for a VM in sync with the listing that has a running migration row', async () => {
    const facts = migrationFacts([VM_ID]);
    const { sync, vms } = syncOverOneVm(VmStatus.MigratingFrom, facts);

    // The listing matches the stored VM: only the migration row makes it worth a look.
    vms.listingDifferences.mockResolvedValueOnce([]);
    await sync.applyInventory(HOST.id, [{ ...domain(), state: 'paused', reason: 'migrating' }]);

    expect(vms.byIds).toHaveBeenCalledWith(new Set([VM_ID]));
    expect(facts.activeOf).toHaveBeenCalledWith(VM_ID);
  });

  it('lets the migration decide at once for a migrating VM its host no longer lists', async () => {
    const facts = migrationFacts([VM_ID]);
    const { sync } = syncOverOneVm(VmStatus.MigratingFrom, facts);

    await sync.applyInventory(HOST.id, []);

    // Not held back one listing as a plain VM would be: the source reported it gone.
    expect(facts.recordFact).toHaveBeenCalledWith('m1', 'source_gone_at');
  });
});
