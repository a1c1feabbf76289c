import { DEFAULT_SCHEDULING_THRESHOLDS } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { mergeThresholds } from './scheduling-thresholds';

describe('mergeThresholds', () => {
  it('fills what a row lacks with the defaults and keeps the fields a change leaves out', () => {
    const merged = mergeThresholds(
      { vmCount: { maxSpread: 4 } },
      { evenly: { memoryHighPercent: 90 }, vmCount: { maxSpread: undefined } },
    );
    expect(merged).toEqual({
      ...DEFAULT_SCHEDULING_THRESHOLDS,
      evenly: { ...DEFAULT_SCHEDULING_THRESHOLDS.evenly, memoryHighPercent: 90 },
      vmCount: { maxSpread: 4 },
    });
  });

  it('refuses a low watermark not below its high one, naming the field (400)', () => {
    let err: unknown;
    try {
      mergeThresholds(DEFAULT_SCHEDULING_THRESHOLDS, {
        evenly: { cpuLowPercent: 90 },
        powerSaving: { lowUtilizationPercent: 80 },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details).toEqual([
      {
        field: 'schedulingThresholds.evenly.cpuLowPercent',
        reason: 'cpuLowPercent 90 must be below cpuHighPercent 80',
      },
      {
        field: 'schedulingThresholds.powerSaving.lowUtilizationPercent',
        reason: 'lowUtilizationPercent 80 must be below highUtilizationPercent 80',
      },
    ]);
  });
});
