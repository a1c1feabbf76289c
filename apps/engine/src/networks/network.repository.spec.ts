import { Any } from 'typeorm';
import { NetworkRepository } from './network.repository';

describe('NetworkRepository in the grant tree (NetworkAccess)', () => {
  it('places a logical network under its datacenter; null for one that does not exist', async () => {
    const findOne = jest.fn(async ({ where }: { where: { id: string } }) =>
      where.id === 'n1' ? { id: 'n1', datacenterId: 'dc1' } : null,
    );
    const repo = new NetworkRepository({ findOne } as never, {} as never, {} as never);
    await expect(repo.accessLink('n1')).resolves.toEqual({
      refs: [
        { type: 'network', id: 'n1' },
        { type: 'datacenter', id: 'dc1' },
      ],
    });
    await expect(repo.accessLink('n9')).resolves.toBeNull();
  });

  it('shows the granted networks and those of granted datacenters', async () => {
    const find = jest.fn(async () => []);
    await new NetworkRepository({ find } as never, {} as never, {} as never).visibleUnder(['n1'], {
      cluster: [],
      datacenter: ['dc1'],
    });
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({ where: [{ id: Any(['n1']) }, { datacenterId: Any(['dc1']) }] }),
    );
  });
});
