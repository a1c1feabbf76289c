import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDomstatsRaw } from '../libvirt/operations';
import { DomainCpuTracker, mapDomainStats } from './domain-stats';
import { cpuPercent, parseMeminfo, parseProcStat } from './host-stats';

describe('stats', () => {
  it('host CPU from /proc/stat deltas, memory from /proc/meminfo', () => {
    const a = parseProcStat('cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3');
    const b = parseProcStat('cpu  150 0 150 900 0 0 0 0 0 0\n');
    expect(cpuPercent(a, b)).toBe(50);
    expect(
      parseMeminfo('MemTotal:       24000000 kB\nMemFree:         1000 kB\nMemAvailable:   20000000 kB\n'),
    ).toEqual({
      memTotalKiB: 24000000,
      memFreeKiB: 20000000,
    });
  });

  it('per-VM stats from domstats --raw (captured)', () => {
    const raw = parseDomstatsRaw(
      readFileSync(join(__dirname, '..', 'libvirt', '__fixtures__', 'domstats-raw.txt'), 'utf8'),
    );
    const s = mapDomainStats('00000000-0000-0000-0000-000000000001', raw[1]!);
    expect(s.cpuTimeNs).toBe(489191000);
    expect(s.balloonKiB).toBe(65536);
    expect(s.rssKiB).toBe(45412);
    expect(s.block).toEqual([{ name: 'vda', rdBytes: expect.any(Number), wrBytes: expect.any(Number) }]);
    expect(s.net).toHaveLength(1);
    expect(s.net[0]!.name).toMatch(/./);
  });

  it('per-VM CPU % from cpu.time deltas', () => {
    const t = new DomainCpuTracker();
    const mk = (ns: number) => [{ uuid: 'u', cpuTimeNs: ns, block: [], net: [] }];
    expect(t.apply(mk(0), 1000)[0]!.cpuPercent).toBeUndefined();
    expect(t.apply(mk(500_000_000), 2000)[0]!.cpuPercent).toBe(50);
  });
});
