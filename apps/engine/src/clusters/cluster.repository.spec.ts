import { Any } from 'typeorm';
import { ClusterRepository } from './cluster.repository';

describe('ClusterRepository in the grant tree (ClusterAccess)', () => {
  it('places a cluster under its datacenter, and shows the clusters of granted datacenters', async () => {
    const findOne = jest.fn(async () => ({ id: 'c1', datacenterId: 'dc1' }));
    const find = jest.fn(async () => [{ id: 'c1' }]);
    const repo = new ClusterRepository({ findOne, find } as never);
    await expect(repo.accessLink('c1')).resolves.toEqual({
      refs: [
        { type: 'cluster', id: 'c1' },
        { type: 'datacenter', id: 'dc1' },
      ],
    });
    await repo.visibleUnder([], { cluster: ['c9'], datacenter: ['dc1'] });
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({ where: [{ id: Any([]) }, { datacenterId: Any(['dc1']) }] }),
    );
  });
});
