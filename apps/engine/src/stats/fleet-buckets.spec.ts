import { fleetBuckets } from './fleet-buckets';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('fleetBuckets', () => {
  it('counts each host once per bucket (its last sample): mean CPU, summed memory', () => {
    const samples = fleetBuckets(
      [
        [
          { at: at(1), cpuPercent: 90, memTotalKiB: 1000, memFreeKiB: 900 },
          { at: at(4), cpuPercent: 10, memTotalKiB: 1000, memFreeKiB: 500 },
          { at: at(11), cpuPercent: 20, memTotalKiB: 1000, memFreeKiB: 400 },
        ],
        [{ at: at(3), cpuPercent: 30, memTotalKiB: 3000, memFreeKiB: 0 }],
      ],
      10_000,
    );
    expect(samples).toEqual([
      { at: at(0), hosts: 2, cpuPercent: 20, memTotalKiB: 4000, memFreeKiB: 500 },
      { at: at(10), hosts: 1, cpuPercent: 20, memTotalKiB: 1000, memFreeKiB: 400 },
    ]);
  });

  it('is empty without hosts or samples, and skips samples without a valid time', () => {
    expect(fleetBuckets([], 10_000)).toEqual([]);
    expect(fleetBuckets([[{ at: 'never', cpuPercent: 1, memTotalKiB: 1, memFreeKiB: 1 }]], 10_000)).toEqual(
      [],
    );
  });
});
