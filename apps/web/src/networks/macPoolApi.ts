import type { ApiErrorDetail, DataCenter, MacPool, MacRange } from '@kelpie/shared-types';
import { useQueries } from '@tanstack/react-query';
import { api, ApiError, as, read, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

/** The MAC pool of each datacenter (one per datacenter, made with it), in the datacenters' order. */
export function useMacPools(dcs: readonly Pick<DataCenter, 'id'>[]) {
  return useQueries({
    queries: dcs.map((dc) => ({
      queryKey: ['datacenters', 'mac-pool', dc.id],
      queryFn: () =>
        read(
          api.GET('/api/v1/datacenters/{datacenterId}/mac-pool', {
            params: { path: { datacenterId: dc.id } },
          }),
          as<MacPool>(),
        ),
    })),
  });
}

export interface MacPoolBody {
  name: string;
  ranges: MacRange[];
}

export function useSaveMacPool(datacenterId: string) {
  return useApiMutation<MacPoolBody>({
    label: (b) => `Edit MAC pool ${b.name}`,
    send: (body) =>
      send((c) =>
        api.PUT('/api/v1/datacenters/{datacenterId}/mac-pool', {
          params: { path: { datacenterId } },
          body,
          ...c,
        }),
      ),
    invalidates: ['datacenters'],
  });
}

/** The most ranges a pool takes (the engine's limit). */
export const MAX_RANGES = 16;
/** Field names as the engine gives them: `ranges.<i>.from|to`, `ranges.<i>` (an overlap), `ranges`. */
export const MAC_POOL_FIELDS = [
  'name',
  ...Array.from({ length: MAX_RANGES }, (_, i) => [
    `ranges.${i}.from`,
    `ranges.${i}.to`,
    `ranges.${i}`,
  ]).flat(),
  'ranges',
];

const MAC = /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;
const asNumber = (mac: string) => parseInt(mac.replace(/:/g, ''), 16);

/** Malformed or reversed ranges before sending (overlaps and multicast are the engine's to say). */
export function checkMacPool(b: MacPoolBody): void {
  const details: ApiErrorDetail[] = [];
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(b.name))
    details.push({ field: 'name', reason: '1–64 letters, digits, dots, dashes or underscores' });
  if (!b.ranges.length || b.ranges.length > MAX_RANGES)
    details.push({ field: 'ranges', reason: `1 to ${MAX_RANGES} ranges` });
  b.ranges.forEach((r, i) => {
    for (const end of ['from', 'to'] as const)
      if (!MAC.test(r[end]))
        details.push({ field: `ranges.${i}.${end}`, reason: 'a MAC address such as 52:54:00:00:00:00' });
    if (MAC.test(r.from) && MAC.test(r.to) && asNumber(r.to) < asNumber(r.from))
      details.push({ field: `ranges.${i}.to`, reason: `${r.to} is below ${r.from}` });
  });
  if (details.length)
    throw new ApiError(400, { code: 'validation_failed', message: 'Check the marked fields', details });
}
