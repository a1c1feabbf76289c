import { Any } from 'typeorm';
import { HostRepository } from './host.repository';

describe('HostRepository in the grant tree (HostAccess)', () => {
  it("names the host, and goes on with its cluster's chain (asked of the clusters)", async () => {
    const findOne = jest.fn(async () => ({ id: 'h1', clusterId: 'c1' }));
    await expect(new HostRepository({ findOne } as never, {} as never).accessLink('h1')).resolves.toEqual({
      refs: [{ type: 'host', id: 'h1' }],
      up: { type: 'cluster', id: 'c1' },
    });
  });

  it('null for a host that does not exist', async () => {
    const repo = new HostRepository({ findOne: async () => null } as never, {} as never);
    await expect(repo.accessLink('h9')).resolves.toBeNull();
  });

  it('visible: the granted hosts and those of the clusters', async () => {
    const find = jest.fn(async () => [{ id: 'h1' }]);
    const repo = new HostRepository({ find } as never, {} as never);
    await expect(repo.visibleUnder(['h1'], { cluster: ['c1'], datacenter: ['dc1'] })).resolves.toEqual(
      new Set(['h1']),
    );
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({ where: [{ id: Any(['h1']) }, { clusterId: Any(['c1']) }] }),
    );
  });
});

describe('HostRepository.existing', () => {
  it('answers which of the ids are hosts, asking nothing for none', async () => {
    const find = jest.fn(async () => [{ id: 'h1' }]);
    const repo = new HostRepository({ find } as never, {} as never);
    await expect(repo.existing(['h1', 'h2'])).resolves.toEqual(new Set(['h1']));
    await expect(repo.existing([])).resolves.toEqual(new Set());
    expect(find).toHaveBeenCalledTimes(1);
  });
});
