import { DEFAULT_SCHEDULING_THRESHOLDS, SchedulingThresholds } from '@kelpie/shared-types';
import { validationFailed } from '../common/errors/domain-error';
import type { SchedulingThresholdsDto } from './cluster.dto';
import { defined } from './defined';

/** Each low watermark must stay below its high one, or balancing would move VMs back and forth. */
const PAIRS = [
  ['evenly', 'cpuLowPercent', 'cpuHighPercent'],
  ['evenly', 'memoryLowPercent', 'memoryHighPercent'],
  ['powerSaving', 'lowUtilizationPercent', 'highUtilizationPercent'],
] as const;

/**
 * The thresholds after a (partial) change: missing fields keep their current value (the defaults for
 * fields an older row lacks). 400 naming each low watermark not below its high one; nothing is written.
 */
export function mergeThresholds(
  current: Partial<SchedulingThresholds> | null | undefined,
  change: SchedulingThresholdsDto | undefined,
): SchedulingThresholds {
  const base = current ?? {};
  const merged: SchedulingThresholds = {
    evenly: { ...DEFAULT_SCHEDULING_THRESHOLDS.evenly, ...base.evenly, ...defined(change?.evenly) },
    powerSaving: {
      ...DEFAULT_SCHEDULING_THRESHOLDS.powerSaving,
      ...base.powerSaving,
      ...defined(change?.powerSaving),
    },
    vmCount: { ...DEFAULT_SCHEDULING_THRESHOLDS.vmCount, ...base.vmCount, ...defined(change?.vmCount) },
  };
  const bad = PAIRS.filter(([policy, low, high]) => {
    const t = merged[policy] as unknown as Record<string, number>;
    return t[low] >= t[high];
  });
  if (bad.length)
    throw validationFailed(
      'a low threshold must be below its high one',
      bad.map(([policy, low, high]) => {
        const t = merged[policy] as unknown as Record<string, number>;
        return {
          field: `schedulingThresholds.${policy}.${low}`,
          reason: `${low} ${t[low]} must be below ${high} ${t[high]}`,
        };
      }),
    );
  return merged;
}
