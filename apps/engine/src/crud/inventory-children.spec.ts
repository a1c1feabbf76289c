import { ErrorCode, ObjectType } from '@kelpie/shared-types';
import type { ModuleRef } from '@nestjs/core';
import type { EntityManager, Repository } from 'typeorm';
import type { EventsService } from '../events/events.service';
import type { StreamService } from '../stream/stream.service';
import { ChildRows, HostRows, VmRows } from './child-rows.port';
import { ChildKind, InventoryService, Named } from './inventory.service';

const HOSTS: ChildKind = { type: ObjectType.Host, rows: HostRows, field: 'clusterId', label: 'hosts' };
const VMS: ChildKind = { type: ObjectType.Vm, rows: VmRows, field: 'clusterId', label: 'VMs' };

/** A parent whose hosts and VMs block its delete, each answered by its owner's port. */
class Parents extends InventoryService<Named> {
  protected readonly type = ObjectType.Cluster;
  protected readonly alias = 'p';
  protected readonly listSpec = { sortable: {}, defaultSort: 'name' } as never;
  protected override readonly children = [HOSTS, VMS];
}

function setup(rows: Map<unknown, [Named[], number]>) {
  const tx = { delete: jest.fn(async () => undefined) } as unknown as EntityManager;
  const asked: unknown[][] = [];
  const ports = new Map<unknown, ChildRows>(
    [...rows].map(([token, answer]) => [
      token,
      { referringTo: async (...args: unknown[]) => (asked.push(args), answer) },
    ]),
  );
  const repo = {
    target: 'parent',
    findOne: async () => ({ id: 'c1', name: 'prod' }),
    manager: { transaction: async (work: (m: EntityManager) => Promise<void>) => work(tx) },
  } as unknown as Repository<Named>;
  const owners = { get: (token: unknown) => ports.get(token) } as unknown as ModuleRef;
  const published: unknown[] = [];
  const svc = new Parents(
    repo,
    { record: async () => undefined } as unknown as EventsService,
    { publish: async (m: unknown) => void published.push(m) } as unknown as StreamService,
    owners,
  );
  return { svc, tx, asked, published };
}

const META = { actor: 'admin', correlationId: 'c' } as never;

describe('InventoryService delete guarded by children its owners name', () => {
  it('refuses with 409 has_children listing the rows each owner answered, inside the delete transaction', async () => {
    const { svc, tx, asked, published } = setup(
      new Map<unknown, [Named[], number]>([
        [HostRows, [[{ id: 'h1', name: 'host-a' }], 1]],
        [VmRows, [[{ id: 'v1', name: 'vm-a' }], 12]],
      ]),
    );
    await expect(svc.remove('c1', META)).rejects.toMatchObject({
      code: ErrorCode.HasChildren,
      message: 'cluster prod still has 1 hosts, 12 VMs; remove them first',
      details: [
        { reason: 'hosts still refer to it', ref: { type: ObjectType.Host, id: 'h1', name: 'host-a' } },
        { reason: 'VMs still refer to it', ref: { type: ObjectType.Vm, id: 'v1', name: 'vm-a' } },
      ],
    });
    expect(asked).toEqual([
      [tx, 'clusterId', 'c1', 10],
      [tx, 'clusterId', 'c1', 10],
    ]);
    expect(tx.delete).not.toHaveBeenCalled();
    expect(published).toEqual([]);
  });

  it('deletes when no owner has a row referring to it', async () => {
    const { svc, tx, published } = setup(
      new Map<unknown, [Named[], number]>([
        [HostRows, [[], 0]],
        [VmRows, [[], 0]],
      ]),
    );
    await svc.remove('c1', META);
    expect(tx.delete).toHaveBeenCalledWith('parent', { id: 'c1' });
    expect(published).toEqual([expect.objectContaining({ type: 'object.deleted' })]);
  });
});
