import { Any } from 'typeorm';
import { StorageDomainRepository } from './storage-domain.repository';

describe('StorageDomainRepository in the grant tree (StorageDomainAccess)', () => {
  it('places a domain under its datacenter, and shows the domains of granted datacenters', async () => {
    const findOne = jest.fn(async () => ({ id: 'sd1', datacenterId: 'dc1' }));
    const find = jest.fn(async () => [{ id: 'sd1' }]);
    const repo = new StorageDomainRepository({ findOne, find } as never);
    await expect(repo.accessLink('sd1')).resolves.toEqual({
      refs: [
        { type: 'storage_domain', id: 'sd1' },
        { type: 'datacenter', id: 'dc1' },
      ],
    });
    await expect(repo.visibleUnder(['sd2'], { cluster: ['c1'], datacenter: ['dc1'] })).resolves.toEqual(
      new Set(['sd1']),
    );
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({ where: [{ id: Any(['sd2']) }, { datacenterId: Any(['dc1']) }] }),
    );
  });
});
