import type { FleetStatsSample, HostStatsSample } from '@kelpie/shared-types';

/**
 * The hosts' histories merged into time buckets of `bucketMs`: in each bucket every host counts once
 * (its last sample there, so a host that reports faster than the bucket is not summed twice); CPU is
 * the mean over those hosts, memory the sum. Oldest bucket first.
 */
export function fleetBuckets(perHost: HostStatsSample[][], bucketMs: number): FleetStatsSample[] {
  const buckets = new Map<number, Map<number, HostStatsSample>>();
  perHost.forEach((samples, host) => {
    for (const s of samples) {
      const t = Math.floor(new Date(s.at).getTime() / bucketMs) * bucketMs;
      if (!Number.isFinite(t)) continue;
      const bucket = buckets.get(t) ?? new Map<number, HostStatsSample>();
      const kept = bucket.get(host);
      if (!kept || kept.at <= s.at) bucket.set(host, s);
      buckets.set(t, bucket);
    }
  });
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, bucket]) => {
      const last = [...bucket.values()];
      const sum = (f: (s: HostStatsSample) => number) => last.reduce((a, s) => a + f(s), 0);
      return {
        at: new Date(t).toISOString(),
        hosts: last.length,
        cpuPercent: sum((s) => s.cpuPercent) / last.length,
        memTotalKiB: sum((s) => s.memTotalKiB),
        memFreeKiB: sum((s) => s.memFreeKiB),
      };
    });
}
