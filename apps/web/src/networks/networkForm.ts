import type { ApiErrorDetail, LogicalNetwork, NetworkAttachment } from '@kelpie/shared-types';
import { ApiError } from '../api/client';

export interface NetworkValues {
  name: string;
  description: string;
  datacenterId: string;
  bridge: string;
  /** As typed: empty = untagged. */
  vlanId: string;
  mtu: string;
  vmNetwork: boolean;
  /** A new network attached at once to every cluster of its datacenter ('' = to none). */
  attachAs: '' | NetworkAttachment;
}

export const NETWORK_FIELDS = [
  'name',
  'description',
  'datacenterId',
  'bridge',
  'vlanId',
  'mtu',
  'vmNetwork',
] as const;

export function networkValues(n?: LogicalNetwork, datacenterId = ''): NetworkValues {
  return {
    name: n?.name ?? '',
    description: n?.description ?? '',
    datacenterId: n?.datacenterId ?? datacenterId,
    bridge: n?.bridge ?? '',
    vlanId: n?.vlanId ? String(n.vlanId) : '',
    mtu: String(n?.mtu ?? 1500),
    vmNetwork: n?.vmNetwork ?? true,
    attachAs: '',
  };
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** A Linux interface name: what the hosts' bridge is called. */
const BRIDGE = /^[A-Za-z0-9_.-]{1,15}$/;
const whole = (s: string, min: number, max: number) => /^\d+$/.test(s.trim()) && +s >= min && +s <= max;

/** What is wrong before anything is sent, named as the engine names it. */
export function validateNetwork(v: NetworkValues, creating: boolean): ApiErrorDetail[] {
  const out: ApiErrorDetail[] = [];
  if (!NAME.test(v.name.trim()))
    out.push({ field: 'name', reason: '1–64 letters, digits, dots, dashes or underscores' });
  if (creating && !v.datacenterId) out.push({ field: 'datacenterId', reason: 'a datacenter is required' });
  if (!BRIDGE.test(v.bridge.trim()))
    out.push({
      field: 'bridge',
      reason: '1–15 letters, digits, dots, dashes or underscores (an interface name)',
    });
  if (v.vlanId.trim() && !whole(v.vlanId, 1, 4094))
    out.push({ field: 'vlanId', reason: 'a VLAN id from 1 to 4094, or empty for untagged' });
  if (!whole(v.mtu, 68, 65535))
    out.push({ field: 'mtu', reason: 'a whole number from 68 to 65535 (1500 usually)' });
  return out;
}

export function checkNetwork(v: NetworkValues, creating: boolean): void {
  const details = validateNetwork(v, creating);
  if (details.length)
    throw new ApiError(400, { code: 'validation_failed', message: 'Check the marked fields', details });
}

export interface NetworkBody {
  name: string;
  description: string;
  datacenterId?: string;
  bridge: string;
  vlanId: number | null;
  mtu: number;
  vmNetwork: boolean;
}

export function networkBody(v: NetworkValues, creating: boolean): NetworkBody {
  return {
    name: v.name.trim(),
    description: v.description,
    ...(creating ? { datacenterId: v.datacenterId } : {}),
    bridge: v.bridge.trim(),
    vlanId: v.vlanId.trim() ? Number(v.vlanId) : null,
    mtu: Number(v.mtu),
    vmNetwork: v.vmNetwork,
  };
}
