import { describe, expect, it } from 'vitest';
import {
  EMPTY_MIGRATION_FORM,
  fmtDuration,
  migrationRequest,
  progressFigures,
  targetProblem,
} from './migrationForm';

describe('migrate dialog form', () => {
  it('an empty form asks for the cluster policy and the scheduler', () => {
    expect(migrationRequest(EMPTY_MIGRATION_FORM)).toEqual({ body: {} });
  });

  it('sends only the fields that were set, typed as the API wants them', () => {
    expect(
      migrationRequest({
        target: 'h2',
        bandwidth: '50',
        downtime: '300',
        autoConverge: 'on',
        postcopy: 'on-stall',
        compressed: 'off',
        storage: 'copy-all',
      }),
    ).toEqual({
      body: {
        targetHostId: 'h2',
        maxBandwidthMiBps: 50,
        maxDowntimeMs: 300,
        autoConverge: true,
        postcopy: 'on-stall',
        compressed: false,
        storage: 'copy-all',
      },
    });
  });

  it('refuses numbers outside the API bounds with a message per field', () => {
    const r = migrationRequest({ ...EMPTY_MIGRATION_FORM, bandwidth: '0', downtime: '2.5' });
    expect(r.errors).toEqual({
      bandwidth: 'Max bandwidth (MiB/s) must be a whole number from 1 to 100000, or empty.',
      downtime: 'Max downtime (ms) must be a whole number from 10 to 600000, or empty.',
    });
    expect(migrationRequest({ ...EMPTY_MIGRATION_FORM, bandwidth: 'fast' }).errors?.bandwidth).toBeTruthy();
  });
});

describe('targets', () => {
  const t = {
    hostId: 'h2',
    hostName: 'h2',
    hostStatus: 'up',
    eligible: true,
    problems: [],
    freeMemoryMiB: 1000,
    recommended: true,
  };
  it('an eligible target has no problem', () => expect(targetProblem(t, [])).toBeNull());
  it('an ineligible target says why', () =>
    expect(
      targetProblem(
        { ...t, eligible: false, problems: ['host is maintenance', 'not enough memory: 64 MiB free'] },
        [],
      ),
    ).toBe('host is maintenance; not enough memory: 64 MiB free'));
  it("the VM's own problems rule out every target", () =>
    expect(targetProblem(t, ['VM is down'])).toBe('VM is down'));
});

describe('live progress figures', () => {
  it('maps a sample to remaining data, rates, iteration and an ETA at the current bandwidth', () => {
    const f = progressFigures({
      phase: 'precopy',
      percent: 40,
      at: '2026-01-01T00:00:00Z',
      elapsedMs: 4000,
      dataRemaining: 60 * 1024 * 1024,
      dataTotal: 100 * 1024 * 1024,
      memoryBandwidth: 30 * 1024 * 1024,
      dirtyRate: 1024 * 1024,
      iteration: 3,
    });
    expect(f).toEqual({
      percent: 40,
      phase: 'precopy',
      remainingBytes: 60 * 1024 * 1024,
      totalBytes: 100 * 1024 * 1024,
      bandwidthBps: 30 * 1024 * 1024,
      dirtyRateBps: 1024 * 1024,
      iteration: 3,
      elapsedMs: 4000,
      etaMs: 2000,
    });
    expect(progressFigures(null)).toBeNull();
    expect(progressFigures({ phase: 'starting', percent: 0, at: '', elapsedMs: 0 })?.etaMs).toBeNull();
  });

  it('formats durations', () => {
    expect(fmtDuration(null)).toBe('–');
    expect(fmtDuration(4_400)).toBe('4 s');
    expect(fmtDuration(125_000)).toBe('2 min 5 s');
    expect(fmtDuration(3_725_000)).toBe('1 h 2 min');
  });
});
