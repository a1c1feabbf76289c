import type { HostStatsSample, VmStatsSample } from '@kelpie/shared-types';

/** One point of a chart: time (ms since epoch) and value. */
export interface Point {
  t: number;
  v: number;
}

const time = (iso: string) => new Date(iso).getTime();
const finite = (p: Point) => Number.isFinite(p.t) && Number.isFinite(p.v);
const clampPct = (v: number) => Math.max(0, Math.min(100, v));

/** Host CPU % and memory in use % (of the host's total); also the fleet's merged samples. */
export function hostSeries(samples: Omit<HostStatsSample, 'ksmSharedPages'>[]): {
  cpu: Point[];
  mem: Point[];
} {
  return {
    cpu: samples.map((s) => ({ t: time(s.at), v: clampPct(s.cpuPercent) })).filter(finite),
    mem: samples
      .filter((s) => s.memTotalKiB > 0)
      .map((s) => ({ t: time(s.at), v: clampPct(((s.memTotalKiB - s.memFreeKiB) / s.memTotalKiB) * 100) }))
      .filter(finite),
  };
}

/**
 * VM CPU % (the agent's figure, else derived from CPU time between samples, per vCPU-second) and
 * memory in MiB (QEMU's resident set, else the balloon size).
 */
export function vmSeries(samples: VmStatsSample[], vcpus = 1): { cpu: Point[]; mem: Point[] } {
  const cpu: Point[] = [];
  samples.forEach((s, i) => {
    if (s.cpuPercent !== undefined) cpu.push({ t: time(s.at), v: s.cpuPercent });
    else if (i > 0) {
      const prev = samples[i - 1]!;
      const dtNs = (time(s.at) - time(prev.at)) * 1e6;
      const used = s.cpuTimeNs - prev.cpuTimeNs;
      if (dtNs > 0 && used >= 0) cpu.push({ t: time(s.at), v: (used / dtNs / Math.max(1, vcpus)) * 100 });
    }
  });
  const mem = samples
    .map((s) => ({ t: time(s.at), v: (s.rssKiB ?? s.balloonKiB ?? NaN) / 1024 }))
    .filter(finite);
  return { cpu: cpu.map((p) => ({ ...p, v: clampPct(p.v) })).filter(finite), mem };
}

export interface Scaled {
  /** SVG path `M x y L x y …` in a width × height box (y grows downwards). */
  path: string;
  min: number;
  max: number;
  last: number | null;
}

/** Maps points into a width × height box: time across, 0…yMax up (yMax: the larger of `max` and the data). */
export function scale(points: Point[], width: number, height: number, max?: number): Scaled {
  if (!points.length) return { path: '', min: 0, max: 0, last: null };
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  const values = points.map((p) => p.v);
  const dataMax = Math.max(...values);
  const yMax = Math.max(max ?? 0, dataMax) || 1;
  const x = (t: number) => (t1 === t0 ? width : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) => height - (v / yMax) * height;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)} ${y(p.v).toFixed(1)}`).join(' ');
  return { path, min: Math.min(...values), max: dataMax, last: values[values.length - 1]! };
}
