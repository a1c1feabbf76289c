import { DomainSnapshot, HostStatus, VmStatus } from '@kelpie/shared-types';
import { Repository } from 'typeorm';
import { EventsService } from '../events/events.service';
import { StreamService } from '../stream/stream.service';
import { VmEntity } from '../vms/vm.entity';
import { HostFactsCache } from './host-facts';
import type { MissedListings } from './missed-listings';
import type { VmRepository } from '../vms/vm.repository';
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

/** The sync over one stored VM that runs on HOST; the repository answers like Postgres would. */
function syncOverOneVm(status: VmStatus = VmStatus.Up) {
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
    manager: { query: jest.fn(async () => []) }, // no migration runs
    findBy: jest.fn(async () => [vm]),
    findOneBy: jest.fn(async () => vm),
    update: jest.fn(async (_where: unknown, patch: Partial<VmEntity>) => void updates.push(patch)),
  };
  const sync = new VmStateSyncService(
    vms as unknown as Repository<VmEntity>,
    { get: jest.fn(async (id: string) => ({ ...HOST, id, name: id })) } as unknown as HostFactsCache,
    { publish: jest.fn(async () => undefined) } as unknown as StreamService,
    { record: jest.fn(async () => undefined) } as unknown as EventsService,
    inMemoryMisses(),
    {
      // The stored VM differs from a listing that lacks it, and matches one that has it.
      listingDifferences: jest.fn(async (_host: string, listed: { id: string }[]) =>
        listed.some((d) => d.id === VM_ID) ? [] : [{ id: VM_ID, kind: 'changed', may_migrate: false }],
      ),
    } as unknown as VmRepository,
  );
  return { sync, updates };
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
