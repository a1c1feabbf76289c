import { describe, expect, it } from 'vitest';
import { hostSeries, scale, vmSeries } from './series';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const t = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

describe('stats → chart series', () => {
  it('host: CPU % as reported, memory in use as % of total, clamped to 0–100', () => {
    const s = hostSeries([
      { at: at(0), cpuPercent: 12.5, memTotalKiB: 1000, memFreeKiB: 750 },
      { at: at(10), cpuPercent: 130, memTotalKiB: 1000, memFreeKiB: 0 },
      { at: at(20), cpuPercent: 5, memTotalKiB: 0, memFreeKiB: 0 },
    ]);
    expect(s.cpu).toEqual([
      { t: t(0), v: 12.5 },
      { t: t(10), v: 100 },
      { t: t(20), v: 5 },
    ]);
    // A sample without a memory total is left out rather than drawn as 0 %.
    expect(s.mem).toEqual([
      { t: t(0), v: 25 },
      { t: t(10), v: 100 },
    ]);
  });

  it('VM: CPU % from the agent, else from CPU time per vCPU between samples; memory from RSS in MiB', () => {
    const base = { blockRdBytes: 0, blockWrBytes: 0, netRxBytes: 0, netTxBytes: 0 };
    const s = vmSeries(
      [
        { ...base, at: at(0), cpuTimeNs: 0, rssKiB: 204800 },
        // 5 s of CPU time in 10 s on 2 vCPUs = 25 %.
        { ...base, at: at(10), cpuTimeNs: 5e9, balloonKiB: 131072 },
        { ...base, at: at(20), cpuTimeNs: 6e9, cpuPercent: 42 },
      ],
      2,
    );
    expect(s.cpu).toEqual([
      { t: t(10), v: 25 },
      { t: t(20), v: 42 },
    ]);
    expect(s.mem).toEqual([
      { t: t(0), v: 200 },
      { t: t(10), v: 128 },
    ]);
  });

  it('scales points into the box: time across, value up from the bottom', () => {
    const s = scale(
      [
        { t: 0, v: 0 },
        { t: 5, v: 50 },
        { t: 10, v: 100 },
      ],
      100,
      50,
      100,
    );
    expect(s.path).toBe('M0.0 50.0 L50.0 25.0 L100.0 0.0');
    expect(s).toMatchObject({ min: 0, max: 100, last: 100 });
    // Values above `max` raise the top of the axis instead of leaving the box.
    expect(
      scale(
        [
          { t: 0, v: 200 },
          { t: 1, v: 100 },
        ],
        10,
        10,
        100,
      ).path,
    ).toBe('M0.0 0.0 L10.0 5.0');
    expect(scale([], 10, 10).last).toBeNull();
  });
});
