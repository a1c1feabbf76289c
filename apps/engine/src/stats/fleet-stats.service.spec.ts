import type { HostRepository } from '../hosts/host.repository';
import { FLEET_REUSE_MS, FleetStatsService } from './fleet-stats.service';
import type { StatsHistoryService } from './stats-history.service';

const sample = (at: string, cpuPercent: number) => ({
  at,
  cpuPercent,
  memTotalKiB: 1000,
  memFreeKiB: 400,
});

function service() {
  const reads = { hosts: 0, histories: 0 };
  const history = {
    history: async () => {
      reads.histories++;
      return [sample('2026-11-26T05:00:00.000Z', 10)];
    },
  } as unknown as StatsHistoryService;
  const hosts = {
    ids: async () => {
      reads.hosts++;
      return ['a', 'b', 'c'];
    },
  } as unknown as HostRepository;
  return { fleet: new FleetStatsService(history, hosts), reads };
}

describe('FleetStatsService', () => {
  it('answers dashboards asking at the same moment with one read of the hosts’ histories', async () => {
    const { fleet, reads } = service();
    const t0 = 1_000_000;
    const [a, b] = await Promise.all([fleet.fleet(60, 10, t0), fleet.fleet(60, 10, t0 + 500)]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ hosts: 3, samples: [{ hosts: 3, cpuPercent: 10, memTotalKiB: 3000 }] });
    expect(reads).toEqual({ hosts: 1, histories: 3 });
    // Another shape of answer is read on its own.
    await fleet.fleet(30, 60, t0 + 600);
    expect(reads.hosts).toBe(2);
  });

  it('reads again once the answer is older than FLEET_REUSE_MS', async () => {
    const { fleet, reads } = service();
    const t0 = 2_000_000;
    await fleet.fleet(60, 10, t0);
    await fleet.fleet(60, 10, t0 + FLEET_REUSE_MS);
    expect(reads.hosts).toBe(2);
  });
});
