import type { ApiErrorDetail, NicQosLimit, VnicProfile } from '@kelpie/shared-types';
import { ApiError } from '../api/client';

/** One direction's limits as typed; all empty = unlimited. */
export interface QosValues {
  average: string;
  peak: string;
  burst: string;
}
export interface ProfileValues {
  name: string;
  description: string;
  inbound: QosValues;
  outbound: QosValues;
  portMirroring: boolean;
}
export type Direction = 'inbound' | 'outbound';

/** The engine's field names; each limit before its direction (a reason about the direction as a
 * whole shows by its average). */
export const PROFILE_FIELDS = [
  'name',
  'description',
  'portMirroring',
  ...(['inbound', 'outbound'] as const).flatMap((d) => [
    `${d}.averageKiBps`,
    `${d}.peakKiBps`,
    `${d}.burstKiB`,
    d,
  ]),
];

const qosValues = (q: NicQosLimit | null | undefined): QosValues => ({
  average: q ? String(q.averageKiBps) : '',
  peak: q?.peakKiBps ? String(q.peakKiBps) : '',
  burst: q?.burstKiB ? String(q.burstKiB) : '',
});

export function profileValues(p?: VnicProfile): ProfileValues {
  return {
    name: p?.name ?? '',
    description: p?.description ?? '',
    inbound: qosValues(p?.inbound),
    outbound: qosValues(p?.outbound),
    portMirroring: p?.portMirroring ?? false,
  };
}

const MAX_RATE = 16777216;
const MAX_BURST = 1048576;
const num = (s: string) => (s.trim() ? Number(s.trim()) : null);
const bad = (s: string, max: number) => !!s.trim() && !(/^\d+$/.test(s.trim()) && +s >= 1 && +s <= max);

/** What is wrong with the limits, named as the engine names them (`inbound.averageKiBps`). */
export function validateProfile(v: ProfileValues): ApiErrorDetail[] {
  const out: ApiErrorDetail[] = [];
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(v.name.trim()))
    out.push({ field: 'name', reason: '1–64 letters, digits, dots, dashes or underscores' });
  for (const dir of ['inbound', 'outbound'] as const) {
    const q = v[dir];
    if (bad(q.average, MAX_RATE))
      out.push({ field: `${dir}.averageKiBps`, reason: `1 to ${MAX_RATE} KiB/s` });
    if (bad(q.peak, MAX_RATE)) out.push({ field: `${dir}.peakKiBps`, reason: `1 to ${MAX_RATE} KiB/s` });
    if (bad(q.burst, MAX_BURST)) out.push({ field: `${dir}.burstKiB`, reason: `1 to ${MAX_BURST} KiB` });
    if (!q.average.trim() && (q.peak.trim() || q.burst.trim()))
      out.push({ field: `${dir}.averageKiBps`, reason: 'an average rate goes with a peak or burst' });
    const avg = num(q.average);
    const peak = num(q.peak);
    if (avg !== null && peak !== null && peak < avg)
      out.push({ field: `${dir}.peakKiBps`, reason: 'not below the average rate' });
  }
  return out;
}

export function checkProfile(v: ProfileValues): void {
  const details = validateProfile(v);
  if (details.length)
    throw new ApiError(400, { code: 'validation_failed', message: 'Check the marked fields', details });
}

const limit = (q: QosValues): NicQosLimit | null =>
  q.average.trim()
    ? { averageKiBps: Number(q.average), peakKiBps: num(q.peak), burstKiB: num(q.burst) }
    : null;

export interface ProfileBody {
  name: string;
  description: string;
  inbound: NicQosLimit | null;
  outbound: NicQosLimit | null;
  portMirroring: boolean;
}

export const profileBody = (v: ProfileValues): ProfileBody => ({
  name: v.name.trim(),
  description: v.description,
  inbound: limit(v.inbound),
  outbound: limit(v.outbound),
  portMirroring: v.portMirroring,
});

/** A limit in words for the list: "avg 1000 KiB/s, peak 2000, burst 512 KiB" or "unlimited". */
export function qosText(q: NicQosLimit | null): string {
  if (!q) return 'unlimited';
  return [
    `${q.averageKiBps} KiB/s`,
    q.peakKiBps ? `peak ${q.peakKiBps}` : '',
    q.burstKiB ? `burst ${q.burstKiB} KiB` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
