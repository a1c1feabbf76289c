import type { Cluster, SchedulingPolicy, SwitchType } from '@kelpie/shared-types';
import { DEFAULT_MIGRATION_POLICY, DEFAULT_SCHEDULING_THRESHOLDS } from '@kelpie/shared-types';
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
  /** Periodic balancing of the cluster (off by default). */
  balancingEnabled: boolean;
  cpuHighPercent: string;
  cpuLowPercent: string;
  memoryHighPercent: string;
  memoryLowPercent: string;
  lowUtilizationPercent: string;
  highUtilizationPercent: string;
  maxSpread: string;
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

/** One threshold of a policy: where it lives in the form and the API field its errors name. */
export interface ThresholdFieldSpec {
  key: KeysOf<string>;
  api: string;
  label: string;
}

const t = (policy: string, key: KeysOf<string>, label: string): ThresholdFieldSpec => ({
  key,
  api: `schedulingThresholds.${policy}.${key}`,
  label,
});

/** The thresholds the dialog shows for each policy (the others keep their values). */
export const THRESHOLD_FIELDS: Record<SchedulingPolicy, readonly ThresholdFieldSpec[]> = {
  evenly_distributed: [
    t('evenly', 'memoryHighPercent', 'Memory high watermark (%)'),
    t('evenly', 'memoryLowPercent', 'Memory low watermark (%)'),
    t('evenly', 'cpuHighPercent', 'CPU high watermark (%)'),
    t('evenly', 'cpuLowPercent', 'CPU low watermark (%)'),
  ],
  power_saving: [
    t('powerSaving', 'lowUtilizationPercent', 'Low utilisation: empty the host below (%)'),
    t('powerSaving', 'highUtilizationPercent', 'High utilisation: never fill a host above (%)'),
  ],
  vm_count: [t('vmCount', 'maxSpread', 'Most VMs one host may run above another')],
  none: [],
};

/** Every field the API may name in a refusal, so its reason shows by that field. */
export const CLUSTER_FIELDS: readonly string[] = [
  'name',
  'description',
  'datacenterId',
  'cpuModel',
  'schedulingPolicy',
  'switchType',
  ...MIGRATION_FIELDS.map((f) => f.api),
  'balancingEnabled',
  ...Object.values(THRESHOLD_FIELDS).flatMap((fs) => fs.map((f) => f.api)),
];

export const SCHEDULING_OPTIONS: readonly { value: SchedulingPolicy; label: string }[] = [
  { value: 'evenly_distributed', label: 'Evenly distributed (spread the load)' },
  { value: 'power_saving', label: 'Power saving (fill hosts first)' },
  { value: 'vm_count', label: 'VM count (spread the number of VMs)' },
  { value: 'none', label: 'None (first host that fits)' },
];

export const SWITCH_OPTIONS: readonly { value: SwitchType; label: string }[] = [
  { value: 'linux_bridge', label: 'Linux bridge' },
  { value: 'ovs', label: 'Open vSwitch' },
];

export function clusterValues(c: Cluster | undefined, datacenterId = ''): ClusterValues {
  const m = c?.migrationPolicy ?? DEFAULT_MIGRATION_POLICY;
  const th = c?.schedulingThresholds ?? DEFAULT_SCHEDULING_THRESHOLDS;
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
    balancingEnabled: c?.balancingEnabled ?? false,
    cpuHighPercent: String(th.evenly.cpuHighPercent),
    cpuLowPercent: String(th.evenly.cpuLowPercent),
    memoryHighPercent: String(th.evenly.memoryHighPercent),
    memoryLowPercent: String(th.evenly.memoryLowPercent),
    lowUtilizationPercent: String(th.powerSaving.lowUtilizationPercent),
    highUtilizationPercent: String(th.powerSaving.highUtilizationPercent),
    maxSpread: String(th.vmCount.maxSpread),
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
    balancingEnabled: v.balancingEnabled,
    schedulingThresholds: {
      evenly: {
        cpuHighPercent: typedNumber(v.cpuHighPercent),
        cpuLowPercent: typedNumber(v.cpuLowPercent),
        memoryHighPercent: typedNumber(v.memoryHighPercent),
        memoryLowPercent: typedNumber(v.memoryLowPercent),
      },
      powerSaving: {
        lowUtilizationPercent: typedNumber(v.lowUtilizationPercent),
        highUtilizationPercent: typedNumber(v.highUtilizationPercent),
      },
      vmCount: { maxSpread: typedNumber(v.maxSpread) },
    },
  };
}
