import type { RollingHostAction, TaskStep } from '@kelpie/shared-types';

export const ROLLING_TASK = 'cluster.rolling_maintenance';

/** Where the run is with its current host. Each stage is checkpointed before its work starts, so an
 * engine adopting the run redoes at most that stage, and each stage is safe to redo: it looks at the
 * host's status before acting. */
export type RollingStage =
  /** Entering maintenance: its `host.maintenance` task (once started) is `maintenanceTaskId`. */
  | 'entering'
  /** A VM could not leave: the host stays preparing until the admin resolves it or activates it. */
  | 'blocked'
  /** In maintenance: activated at once, or once the admin continues (`wait_for_admin`). */
  | 'maintenance'
  /** Activated: waiting for the host to be Up before the next one. */
  | 'activating';

/** The run's stored state (the task's checkpoint): everything an adopting engine needs. */
export interface RollingCheckpoint {
  clusterId: string;
  hosts: { id: string; name: string }[];
  action: RollingHostAction;
  /** The host being handled (hosts before it are done). */
  index: number;
  stage: RollingStage;
  maintenanceTaskId: string | null;
}

/** Reads a stored checkpoint back; null when it is not one of this run's (then nothing is known). */
export function readCheckpoint(cp: Record<string, unknown>): RollingCheckpoint | null {
  const hosts = cp.hosts;
  if (typeof cp.clusterId !== 'string' || !Array.isArray(hosts) || typeof cp.index !== 'number') return null;
  return {
    clusterId: cp.clusterId,
    hosts: hosts as RollingCheckpoint['hosts'],
    action: cp.action === 'wait_for_admin' ? 'wait_for_admin' : 'reactivate',
    index: cp.index,
    stage: (cp.phase as RollingStage) ?? 'entering',
    maintenanceTaskId: typeof cp.maintenanceTaskId === 'string' ? cp.maintenanceTaskId : null,
  };
}

/** One task step per host (name = host name, objectId = host id): the run's per-host progress. */
export function rollingSteps(
  cp: RollingCheckpoint,
  current?: Pick<TaskStep, 'status' | 'message'>,
): TaskStep[] {
  return cp.hosts.map((h, i) => ({
    name: h.name,
    objectId: h.id,
    ...(i < cp.index
      ? { status: 'done' as const, message: 'maintained and active again' }
      : i > cp.index
        ? { status: 'pending' as const, message: 'waiting' }
        : (current ?? { status: 'running' as const, message: STAGE_MESSAGE[cp.stage] })),
  }));
}

const STAGE_MESSAGE: Record<RollingStage, string> = {
  entering: 'entering maintenance: migrating its VMs away',
  blocked: 'a VM could not leave: waiting for a choice',
  maintenance: 'in maintenance',
  activating: 'activated: waiting for it to be up',
};

/** The run's progress in percent: each host counts four stages. */
export function rollingPercent(cp: RollingCheckpoint): number {
  const order: RollingStage[] = ['entering', 'blocked', 'maintenance', 'activating'];
  const within = Math.max(0, order.indexOf(cp.stage)) / order.length;
  return cp.hosts.length ? Math.min(99, ((cp.index + within) / cp.hosts.length) * 100) : 0;
}
