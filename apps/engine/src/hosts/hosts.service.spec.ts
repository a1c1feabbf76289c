import { HostStatus } from '@kelpie/shared-types';
import type { Repository } from 'typeorm';
import type { ClusterEntity } from '../clusters/cluster.entity';
import type { EventsService } from '../events/events.service';
import type { StreamService } from '../stream/stream.service';
import type { HostEntity } from './host.entity';
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
  const stream = { publish: jest.fn(async (m: { type: string }) => published.push(m)) };
  const events = { record: jest.fn(async () => undefined) };
  const svc = new HostsService(
    repo,
    {} as Repository<ClusterEntity>,
    events as unknown as EventsService,
    stream as unknown as StreamService,
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
