import { HostStatus } from '@kelpie/shared-types';
import type { ModuleRef } from '@nestjs/core';
import type { Repository } from 'typeorm';
import type { ClusterRepository } from '../clusters/cluster.repository';
import type { EventsService } from '../events/events.service';
import type { StreamService } from '../stream/stream.service';
import type { HostEntity } from './host.entity';
import { SYSTEM_META } from '../common/http/request-meta';
import { HostsService } from './hosts.service';

function setup(initial: Partial<HostEntity>) {
  let row = { id: 'h1', name: 'h1', clusterId: 'c1', ...initial } as HostEntity;
  const repo = {
    findOne: jest.fn(async () => ({ ...row })),
    update: jest.fn(async (_where: unknown, patch: Partial<HostEntity>) => {
      row = { ...row, ...patch };
    }),
  } as unknown as Repository<HostEntity>;
  const published: { type: string; changes?: string[] }[] = [];
  const stream = {
    publish: jest.fn(async (m: { type: string }) => published.push(m)),
    dataOf: (_type: string, o: object) => o,
  };
  const events = { record: jest.fn(async () => undefined) };
  const svc = new HostsService(
    repo,
    {} as ClusterRepository,
    events as unknown as EventsService,
    stream as unknown as StreamService,
    {} as ModuleRef,
  );
  return { svc, published, events };
}

describe('HostsService.setStatus', () => {
  it('announces a status change (stream + audit event)', async () => {
    const { svc, published, events } = setup({ status: HostStatus.Up, statusReason: null });
    await svc.setStatus('h1', HostStatus.PreparingForMaintenance, 'migrating its VMs away');
    expect(published.map((m) => m.type)).toEqual(['host.status']);
    expect(events.record).toHaveBeenCalledTimes(1);
  });

  it('streams a reason-only change as object.updated so open views show the new reason', async () => {
    const { svc, published, events } = setup({
      status: HostStatus.PreparingForMaintenance,
      statusReason: 'migrating its VMs away',
    });
    const host = await svc.setStatus(
      'h1',
      HostStatus.PreparingForMaintenance,
      '1 VM(s) could not be migrated',
    );
    expect(host.statusReason).toBe('1 VM(s) could not be migrated');
    expect(published).toEqual([
      expect.objectContaining({ type: 'object.updated', changes: ['statusReason'] }),
    ]);
    expect(events.record).not.toHaveBeenCalled();
  });

  it('says nothing when neither status nor reason changes', async () => {
    const { svc, published } = setup({ status: HostStatus.Up, statusReason: null });
    await svc.setStatus('h1', HostStatus.Up, null);
    expect(published).toEqual([]);
  });
});

describe('HostsService.update of address and libvirt URI', () => {
  it('refuses them while the host serves VMs (409 naming the fields), writing nothing', async () => {
    const { svc } = setup({
      status: HostStatus.Up,
      address: '10.0.0.1',
      libvirtUri: 'qemu+tcp://10.0.0.1/system',
    });
    const verify = jest.fn(async () => undefined);
    await expect(
      svc.update(
        'h1',
        { address: '10.0.0.2', libvirtUri: 'qemu+tcp://10.0.0.2/system' },
        SYSTEM_META,
        verify,
      ),
    ).rejects.toMatchObject({
      code: 'invalid_state',
      details: [
        expect.objectContaining({ field: 'address' }),
        expect.objectContaining({ field: 'libvirtUri' }),
      ],
    });
    expect(verify).not.toHaveBeenCalled();
  });

  it('lets them change in maintenance once the new address is verified', async () => {
    const { svc } = setup({ status: HostStatus.Maintenance, address: '10.0.0.1' });
    const patch = jest
      .spyOn(svc as unknown as { patch: () => Promise<unknown> }, 'patch')
      .mockResolvedValue({});
    const verify = jest.fn(async () => undefined);
    await svc.update('h1', { address: '10.0.0.2' }, SYSTEM_META, verify);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(patch).toHaveBeenCalledTimes(1);
  });
});
