import { DataCenterRepository } from './datacenter.repository';

describe('DataCenterRepository in the grant tree (DatacenterAccess)', () => {
  it('names the datacenter when it exists, null otherwise', async () => {
    const existsBy = jest.fn(async ({ id }: { id: string }) => id === 'dc1');
    const repo = new DataCenterRepository({ existsBy } as never);
    await expect(repo.accessLink('dc1')).resolves.toEqual({ refs: [{ type: 'datacenter', id: 'dc1' }] });
    await expect(repo.accessLink('dc9')).resolves.toBeNull();
  });
});
