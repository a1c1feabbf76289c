import { Any } from 'typeorm';
import { VmRepository } from './vm.repository';

describe('VmRepository in the grant tree (VmAccess)', () => {
  it('places a VM under its cluster and datacenter from its one row, never under its host', async () => {
    const findOne = jest.fn(async () => ({ id: 'v1', clusterId: 'c1', datacenterId: 'dc1' }));
    await expect(new VmRepository({ findOne } as never).accessLink('v1')).resolves.toEqual({
      refs: [
        { type: 'vm', id: 'v1' },
        { type: 'cluster', id: 'c1' },
        { type: 'datacenter', id: 'dc1' },
      ],
    });
  });

  it('visible: the granted VMs and those of the clusters and datacenters', async () => {
    const find = jest.fn(async () => [{ id: 'v1' }]);
    await new VmRepository({ find } as never).visibleUnder(['v1'], { cluster: ['c1'], datacenter: ['dc1'] });
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({
        where: [{ id: Any(['v1']) }, { clusterId: Any(['c1']) }, { datacenterId: Any(['dc1']) }],
      }),
    );
  });
});

describe('VmRepository.listingDifferences', () => {
  it("compares a listing with the VM rows alone (which VMs migrate is live migration's to say)", async () => {
    const query = jest.fn(async () => []);
    await new VmRepository({ query } as never).listingDifferences('h1', []);
    const [sql] = query.mock.calls[0] as unknown as [string];
    expect(sql).not.toMatch(/vm_migration/);
  });
});
