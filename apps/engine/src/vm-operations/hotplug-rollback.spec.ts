import { ObjectType } from '@kelpie/shared-types';
import type { RequestMeta } from '../common/http/request-meta';
import type { ClusterRepository } from '../clusters/cluster.repository';
import type { DiskEntity } from '../disks/disk.entity';
import type { DiskRepository } from '../disks/disk.repository';
import type { EventsService } from '../events/events.service';
import type { HostEntity } from '../hosts/host.entity';
import type { NetworkRepository } from '../networks/network.repository';
import type { NicRepository } from '../nics/nic.repository';
import type { NicsService } from '../nics/nics.service';
import type { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import type { StreamService } from '../stream/stream.service';
import type { TaskContext } from '../tasks/tasks.service';
import type { VmGuard } from '../vm-guard/vm-guard.service';
import type { VmEntity } from '../vms/vm.entity';
import type { HotplugRunner } from './hotplug-runner';
import { VmDiskHotplugService } from './vm-disk-hotplug.service';
import { VmNicHotplugService } from './vm-nic-hotplug.service';

/** Unit: a hot-plug undoes what it made when a later step on the host fails (rollback declared where
 * each resource is made), and only that. Repositories and the host are mocked. */

const META = { actor: 'admin', correlationId: 'c1' } as RequestMeta;
const VM = { id: 'vm-1', name: 'web', clusterId: 'cl-1', hostId: 'h-1', external: false } as VmEntity;
const HOST = { id: 'h-1', name: 'h1' } as HostEntity;
const SD = { id: 'sd-1', name: 'data', path: '/srv/data' };
const CLUSTER = { id: 'cl-1', switchType: 'linux_bridge' };
const ctx = { checkpoint: jest.fn(async () => undefined) } as unknown as TaskContext;

/** A runner that runs the task's work at once and answers with its result (or failure). */
const runner = () =>
  ({
    target: jest.fn(async () => ({ vm: VM, host: HOST })),
    task: jest.fn(
      (_type: string, _vm: VmEntity, _meta: RequestMeta, work: (c: TaskContext) => Promise<unknown>) =>
        work(ctx),
    ),
    isActive: jest.fn(async () => true),
  }) as unknown as HotplugRunner;

const notifier = () => ({
  events: { record: jest.fn(async () => undefined) } as unknown as EventsService,
  stream: {
    publish: jest.fn(async () => undefined),
    dataOf: (_type: string, o: object) => o,
  } as unknown as StreamService,
});

/** The host's answers: `fail` names the commands that fail; `created` says whether volume.create made it. */
function host(fail: string | string[] | null, created = true) {
  const failing = new Set([fail ?? []].flat());
  const sent: string[] = [];
  const answer = async (_h: HostEntity, command: string, payload: Record<string, unknown>) => {
    sent.push(command === 'volume.delete' ? `${command} ${String(payload.pool)}` : command);
    if (failing.has(command)) throw new Error(`${command} failed on h1`);
    if (command === 'storage.ensure-pool') return { pool: 'kelpie-data' };
    if (command === 'volume.create') return { created, path: '/srv/data/x.qcow2', allocationBytes: 0 };
    return {};
  };
  const checks = {
    checkStorageDomain: jest.fn(async () => SD),
    checkNetwork: jest.fn(async () => ({ id: 'net-1', name: 'ovirtmgmt', bridge: 'br0' })),
    send: jest.fn(answer),
    sendStep: jest.fn((h: HostEntity, command: string, payload: Record<string, unknown>) =>
      answer(h, command, payload),
    ),
  } as unknown as VmGuard;
  return { sent, checks };
}

function diskService(fail: string | string[] | null, created = true) {
  const { sent, checks } = host(fail, created);
  const disks = {
    ofVm: jest.fn(async () => []),
    build: jest.fn((f: Partial<DiskEntity>) => ({ ...f }) as DiskEntity),
    insert: jest.fn(async () => sent.push('insert record')),
    provisioned: jest.fn(async () => undefined),
    delete: jest.fn(async () => sent.push('delete record')),
  };
  const { events, stream } = notifier();
  const service = new VmDiskHotplugService(
    runner(),
    disks as unknown as DiskRepository,
    { byId: jest.fn(async () => CLUSTER) } as unknown as ClusterRepository,
    { byId: jest.fn(async () => SD) } as unknown as StorageDomainRepository,
    checks,
    events,
    stream,
  );
  const attach = () => service.attachDisk(VM.id, { storageDomainId: SD.id, sizeGiB: 1 } as never, META);
  return { sent, disks, events, attach };
}

describe('disk hot-plug rollback', () => {
  it('the attach fails on the host → the volume it made is deleted, then the disk record (newest first)', async () => {
    const { sent, events, attach } = diskService('vm.attach-device');
    await expect(attach()).rejects.toThrow('vm.attach-device failed on h1');
    expect(sent).toEqual([
      'insert record',
      'storage.ensure-pool',
      'volume.create',
      'vm.attach-device',
      'storage.ensure-pool',
      'volume.delete kelpie-data',
      'delete record',
    ]);
    // The removal is announced like any other: the portal drops the disk it was shown.
    expect(events.record).toHaveBeenLastCalledWith(
      expect.objectContaining({ type: `${ObjectType.Disk}.deleted` }),
    );
  });

  it('the volume step fails → only the record is removed (no volume was made)', async () => {
    const { sent, attach } = diskService('volume.create');
    await expect(attach()).rejects.toThrow('volume.create failed on h1');
    expect(sent.slice(2)).toEqual(['volume.create', 'delete record']);
  });

  it('a volume that was already there is not ours: the failed attach leaves it and removes the record', async () => {
    const { sent, attach } = diskService('vm.attach-device', false);
    await expect(attach()).rejects.toThrow();
    expect(sent).not.toContain('volume.delete kelpie-data');
    expect(sent.at(-1)).toBe('delete record');
  });

  it('a rollback step that fails does not stop the others, and the task keeps its own error', async () => {
    // The volume's removal fails on the host: the record is still removed (the garbage collector
    // takes the volume), and the caller sees why the attach failed, not why the undo did.
    const { sent, attach } = diskService(['vm.attach-device', 'volume.delete']);
    await expect(attach()).rejects.toThrow('vm.attach-device failed on h1');
    expect(sent.slice(-2)).toEqual(['volume.delete kelpie-data', 'delete record']);
  });

  it('nothing fails → nothing is undone', async () => {
    const { sent, attach } = diskService(null);
    await expect(attach()).resolves.toMatchObject({ live: true, path: '/srv/data/x.qcow2' });
    expect(sent).not.toContain('delete record');
    expect(sent.some((s) => s.startsWith('volume.delete'))).toBe(false);
  });
});

describe('NIC hot-plug rollback', () => {
  function nicService(fail: string | null) {
    const { sent, checks } = host(fail);
    const nics = {
      profileFor: jest.fn(async () => ({ id: 'p-1', networkId: 'net-1' })),
      create: jest.fn(async () => {
        sent.push('insert record');
        return {
          id: 'nic-1',
          mac: '52:54:00:00:00:01',
          model: 'virtio',
          networkId: 'net-1',
          profileId: 'p-1',
        };
      }),
      remove: jest.fn(async () => sent.push('delete record')),
    };
    const service = new VmNicHotplugService(
      runner(),
      nics as unknown as NicsService,
      {} as NicRepository,
      { byId: jest.fn(async () => CLUSTER) } as unknown as ClusterRepository,
      {} as NetworkRepository,
      checks,
    );
    return { sent, nics, attach: () => service.attachNic(VM.id, { networkId: 'net-1' } as never, META) };
  }

  it('the attach fails on the host → the NIC record is removed', async () => {
    const { sent, nics, attach } = nicService('vm.attach-device');
    await expect(attach()).rejects.toThrow('vm.attach-device failed on h1');
    expect(sent).toEqual(['insert record', 'vm.attach-device', 'delete record']);
    expect(nics.remove).toHaveBeenCalledWith('nic-1', META);
  });

  it('nothing fails → the NIC stays', async () => {
    const { sent, nics, attach } = nicService(null);
    await expect(attach()).resolves.toMatchObject({ nicId: 'nic-1', live: true });
    expect(nics.remove).not.toHaveBeenCalled();
    expect(sent).toEqual(['insert record', 'vm.attach-device']);
  });
});
