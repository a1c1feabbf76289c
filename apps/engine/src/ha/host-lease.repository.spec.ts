import { QueryFailedError } from 'typeorm';
import type { HostRepository } from '../hosts/host.repository';
import { HostLeaseRepository } from './host-lease.repository';

const AT = new Date('2026-01-01T00:00:10Z');
const sighting = (hostId: string) => ({ hostId, unchangedForMs: 4000, renewalSeen: true });

function setup(known: string[], failFor: Record<string, { code: string; constraint: string }> = {}) {
  const written: unknown[][] = [];
  const leases = {
    query: jest.fn(async (_sql: string, params: unknown[]) => {
      const fail = failFor[params[0] as string];
      if (fail) throw new QueryFailedError('INSERT', params, Object.assign(new Error('fk'), fail));
      written.push(params);
    }),
  };
  const hosts = { existing: jest.fn(async (ids: string[]) => new Set(ids.filter((i) => known.includes(i)))) };
  const repo = new HostLeaseRepository(leases as never, hosts as unknown as HostRepository);
  return { repo, written, hosts };
}

describe('HostLeaseRepository.record', () => {
  it('asks the hosts once and stores sightings of known hosts only', async () => {
    const { repo, written, hosts } = setup(['h1']);
    await repo.record('obs', AT, [sighting('h1'), sighting('gone')]);
    expect(hosts.existing).toHaveBeenCalledTimes(1);
    expect(hosts.existing).toHaveBeenCalledWith(['h1', 'gone']);
    expect(written).toEqual([
      ['h1', new Date('2026-01-01T00:00:06Z'), new Date('2026-01-01T00:00:06Z'), AT, 'obs'],
    ]);
  });

  it('drops a sighting whose host was deleted after the answer, and keeps the others', async () => {
    const { repo, written } = setup(['h1', 'h2'], {
      h1: { code: '23503', constraint: 'fk_host_lease_host' },
    });
    await repo.record('obs', AT, [sighting('h1'), sighting('h2')]);
    expect(written.map((p) => p[0])).toEqual(['h2']);
  });

  it('lets any other database error through', async () => {
    const { repo } = setup(['h1'], { h1: { code: '23505', constraint: 'pk_host_lease' } });
    await expect(repo.record('obs', AT, [sighting('h1')])).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('asks nothing for an empty report', async () => {
    const { repo, hosts } = setup([]);
    await repo.record('obs', AT, []);
    expect(hosts.existing).not.toHaveBeenCalled();
  });
});
