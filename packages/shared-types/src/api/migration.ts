import type { MigrationJobSample, MigrationPostcopyMode, MigrationStorageMode } from '../protocol';

/** Body of `POST /api/v1/vms/{id}/migrate`: every field optional; missing policy fields come from the
 * cluster's migrationPolicy, then from the engine's defaults. */
export interface MigrateVmRequest {
  /** Omitted: the scheduler picks a host (reason recorded on the task). */
  targetHostId?: string;
  maxBandwidthMiBps?: number | null;
  maxDowntimeMs?: number;
  autoConverge?: boolean;
  postcopy?: MigrationPostcopyMode;
  compressed?: boolean;
  storage?: MigrationStorageMode;
  /** Whole-migration time limit: this many seconds per GiB of memory (+ disks when copied). */
  maxTimePerGiBSeconds?: number;
  /** Data remaining not shrinking this long → postcopy (when allowed) or a clean abort. */
  abortOnNoProgressSeconds?: number;
  /** Migrate although a disk's cache mode is not safe for live migration (not none/directsync). */
  allowUnsafeCache?: boolean;
}

/** The migration settings actually used (cluster policy merged with the request). */
export interface EffectiveMigrationPolicy {
  maxBandwidthMiBps: number | null;
  maxDowntimeMs: number;
  autoConverge: boolean;
  postcopy: MigrationPostcopyMode;
  compressed: boolean;
  storage: MigrationStorageMode;
  maxTimePerGiBSeconds: number;
  abortOnNoProgressSeconds: number;
  allowUnsafeCache: boolean;
  /** The cluster's `migrationEncrypted` when the migration started: memory and disks went over TLS.
   * Absent on migrations recorded before the setting existed (they were plain). */
  encrypted?: boolean;
}

export const MigrationStatus = {
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type MigrationStatus = (typeof MigrationStatus)[keyof typeof MigrationStatus];

/** Live progress of a migration (also the `data` of the agent's command-progress reports). */
export interface MigrationProgress extends MigrationJobSample {
  phase: 'starting' | 'precopy' | 'postcopy' | 'completing';
  percent: number;
  at: string;
}

/** One migration of one VM (`GET /api/v1/migrations/{id}`; the id is its task's id). */
export interface VmMigration {
  id: string;
  vmId: string;
  sourceHostId: string;
  targetHostId: string;
  status: MigrationStatus;
  policy: EffectiveMigrationPolicy;
  /** Why this target (scheduler) or "requested". */
  targetReason: string;
  progress: MigrationProgress | null;
  /** Number of progress samples received. */
  progressSamples: number;
  result: MigrationTaskResult | null;
  error: string | null;
  targetRunningAt: string | null;
  sourceGoneAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** `result` of a succeeded `vm.migrate` task. */
export interface MigrationTaskResult {
  vmId: string;
  sourceHostId: string;
  targetHostId: string;
  targetReason: string;
  policy: EffectiveMigrationPolicy;
  totalMs: number;
  downtimeMs: number | null;
  dataTransferredBytes: number | null;
  memoryTotalBytes: number | null;
  iterations: number | null;
  postcopyUsed: boolean;
  progressSamples: number;
  stats: MigrationJobSample;
}

/** `result` of a `host.maintenance` task. */
export interface MaintenanceResult {
  hostId: string;
  migrated: { vmId: string; vmName: string; targetHostId: string; taskId: string }[];
  failed: { vmId: string; vmName: string; reason: string; taskId: string | null }[];
}

/** One host of the VM's cluster as a migration target (`GET /api/v1/vms/{id}/migrate/targets`). */
export interface MigrationTargetOption {
  hostId: string;
  hostName: string;
  hostStatus: string;
  /** True when every pre-check passed: the portal offers it; otherwise `problems` says why not. */
  eligible: boolean;
  problems: string[];
  freeMemoryMiB: number | null;
  /** The host the scheduler would pick when no target is given. */
  recommended: boolean;
}

/** Answer of `GET /api/v1/vms/{id}/migrate/targets`: the same checks `POST /vms/{id}/migrate` runs,
 * host by host, without starting anything. VM-level problems (not running, hostdev, unsafe cache)
 * are in `vmProblems` and make every target ineligible. */
export interface MigrationTargets {
  vmId: string;
  sourceHostId: string;
  vmProblems: string[];
  targets: MigrationTargetOption[];
  /** Why the recommended host (scheduler reason), or why none. */
  recommendation: string;
}

/** What an admin may do about a VM that keeps a host preparing for maintenance
 * (`POST /api/v1/hosts/{id}/maintenance/resolve`); cancelling is `POST /hosts/{id}/activate`. */
export const MAINTENANCE_CHOICES = ['shutdown', 'poweroff', 'migrate'] as const;
export type MaintenanceChoice = (typeof MAINTENANCE_CHOICES)[number];

/** One running VM of a host about to enter maintenance: where it would go, or why it cannot leave. */
export interface MaintenancePlanMove {
  vmId: string;
  vmName: string;
  memoryMib: number;
  /** Null: the VM cannot be live-migrated now (`reason` says why) and would keep the host preparing. */
  targetHostId: string | null;
  targetHostName: string | null;
  /** The scheduler's reason for the target, or why no host can take the VM. */
  reason: string;
}

/** Answer of `GET /api/v1/hosts/{id}/maintenance/plan`: what entering maintenance would do now,
 * with the same checks and the same one-after-another reservations as the evacuation itself. */
export interface MaintenancePlan {
  hostId: string;
  hostName: string;
  hostStatus: string;
  /** Running (and paused) VMs: each is live-migrated, or named with its reason. */
  running: MaintenancePlanMove[];
  /** Stopped VMs stay defined on the host and start on another host of the cluster when started. */
  stopped: { vmId: string; vmName: string }[];
  /** Running VMs with no target. */
  blocked: number;
  /** One line: how many move where, how many cannot, how many are stopped. */
  summary: string;
  /** What can be done about a blocked VM once the host is preparing for maintenance. */
  choices: MaintenanceChoice[];
}

/** Rolling maintenance (`POST /api/v1/clusters/{id}/rolling-maintenance`): what happens to each host
 * once it is in maintenance — `reactivate` at once, or `wait_for_admin` (who updates it, then
 * continues the run with `POST …/rolling-maintenance/continue` or by activating the host). */
export const ROLLING_HOST_ACTIONS = ['reactivate', 'wait_for_admin'] as const;
export type RollingHostAction = (typeof ROLLING_HOST_ACTIONS)[number];

/** Body of `POST /api/v1/clusters/{id}/rolling-maintenance`. */
export interface RollingMaintenanceRequest {
  /** Default `reactivate`. */
  action?: RollingHostAction;
  /** The hosts to roll, in this order (default: every host of the cluster, by name). */
  hostIds?: string[];
}
