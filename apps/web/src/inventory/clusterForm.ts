import type { Cluster, SchedulingPolicy, SwitchType } from '@kelpie/shared-types';
import { DEFAULT_MIGRATION_POLICY } from '@kelpie/shared-types';
import type { ClusterBody } from './inventoryApi';
import { typedNumber } from '../forms/typedNumber';

/** The cluster dialog's values, numbers kept as typed (the API validates them and names the field). */
export interface ClusterValues {
  name: string;
  description: string;
  datacenterId: string;
  /** '' = QEMU's default CPU (no model in the domain). */
  cpuModel: string;
  schedulingPolicy: SchedulingPolicy;
  switchType: SwitchType;
  /** Live migrations over TLS with the engine-issued host certificates. */
  migrationEncrypted: boolean;
  autoConverge: boolean;
  postCopy: boolean;
  compressed: boolean;
  /** '' = no limit. */
  maxBandwidthMiBps: string;
  maxDowntimeMs: string;
}

type KeysOf<V> = { [K in keyof ClusterValues]: ClusterValues[K] extends V ? K : never }[keyof ClusterValues];

/** One field of the migration-policy fieldset: a checkbox or a number, where its value lives in the
 * form, and the API field its errors name. */
export type MigrationFieldSpec =
  | { kind: 'check'; key: KeysOf<boolean>; api: string; label: string }
  | { kind: 'number'; key: KeysOf<string>; api: string; label: string; placeholder?: string };

/** The cluster's migration policy fields, in the order the dialog shows them. */
export const MIGRATION_FIELDS: readonly MigrationFieldSpec[] = [
  {
    kind: 'check',
    key: 'migrationEncrypted',
    api: 'migrationEncrypted',
    label: 'Encrypt migrations (TLS with the engine-issued host certificates)',
  },
  {
    kind: 'check',
    key: 'autoConverge',
    api: 'migrationPolicy.autoConverge',
    label: 'Auto-converge (slow the guest down if memory changes faster than it is copied)',
  },
  {
    kind: 'check',
    key: 'postCopy',
    api: 'migrationPolicy.postCopy',
    label: 'Post-copy (switch over early, fetch the rest on demand)',
  },
  { kind: 'check', key: 'compressed', api: 'migrationPolicy.compressed', label: 'Compress the memory sent' },
  {
    kind: 'number',
    key: 'maxBandwidthMiBps',
    api: 'migrationPolicy.maxBandwidthMiBps',
    label: 'Max bandwidth (MiB/s)',
    placeholder: 'no limit',
  },
  {
    kind: 'number',
    key: 'maxDowntimeMs',
    api: 'migrationPolicy.maxDowntimeMs',
    label: 'Max downtime (ms)',
  },
];

/** Every field the API may name in a refusal, so its reason shows by that field. */
export const CLUSTER_FIELDS: readonly string[] = [
  'name',
  'description',
  'datacenterId',
  'cpuModel',
  'schedulingPolicy',
  'switchType',
  ...MIGRATION_FIELDS.map((f) => f.api),
];

export const SCHEDULING_OPTIONS: readonly { value: SchedulingPolicy; label: string }[] = [
  { value: 'evenly_distributed', label: 'Evenly distributed (spread the load)' },
  { value: 'power_saving', label: 'Power saving (fill hosts first)' },
  { value: 'none', label: 'None (first host that fits)' },
];

export const SWITCH_OPTIONS: readonly { value: SwitchType; label: string }[] = [
  { value: 'linux_bridge', label: 'Linux bridge' },
  { value: 'ovs', label: 'Open vSwitch' },
];

export function clusterValues(c: Cluster | undefined, datacenterId = ''): ClusterValues {
  const m = c?.migrationPolicy ?? DEFAULT_MIGRATION_POLICY;
  return {
    name: c?.name ?? '',
    description: c?.description ?? '',
    datacenterId: c?.datacenterId ?? datacenterId,
    cpuModel: c?.cpuModel ?? '',
    schedulingPolicy: c?.schedulingPolicy ?? 'evenly_distributed',
    switchType: c?.switchType ?? 'linux_bridge',
    migrationEncrypted: c?.migrationEncrypted ?? true,
    autoConverge: m.autoConverge,
    postCopy: m.postCopy,
    compressed: m.compressed,
    maxBandwidthMiBps: m.maxBandwidthMiBps === null ? '' : String(m.maxBandwidthMiBps),
    maxDowntimeMs: String(m.maxDowntimeMs),
  };
}

/** The request body: a create carries the datacenter, an edit never moves the cluster. */
export function clusterBody(v: ClusterValues, create: boolean): ClusterBody {
  return {
    name: v.name.trim(),
    description: v.description,
    ...(create ? { datacenterId: v.datacenterId } : {}),
    cpuModel: v.cpuModel.trim() || null,
    schedulingPolicy: v.schedulingPolicy,
    switchType: v.switchType,
    migrationEncrypted: v.migrationEncrypted,
    migrationPolicy: {
      autoConverge: v.autoConverge,
      postCopy: v.postCopy,
      compressed: v.compressed,
      maxBandwidthMiBps: v.maxBandwidthMiBps.trim() === '' ? null : typedNumber(v.maxBandwidthMiBps),
      maxDowntimeMs: typedNumber(v.maxDowntimeMs),
    },
  };
}
