import type { Task, TaskStep } from '@kelpie/shared-types';

/** One VM of an evacuation as the host page lists it. */
export interface EvacuationRow {
  vmName: string;
  vmId: string | null;
  state: 'waiting' | 'migrating' | 'migrated' | 'failed' | 'skipped';
  /** "migrating to h2", "migrated to h2", or the failure reason. */
  detail: string;
  /** Target host name, when known. */
  target: string | null;
  /** Percent of the VM's migration (its vm.migrate task). */
  progress: number;
  migrationTaskId: string | null;
}

const STATE: Record<TaskStep['status'], EvacuationRow['state']> = {
  pending: 'waiting',
  running: 'migrating',
  done: 'migrated',
  failed: 'failed',
  skipped: 'skipped',
};

/**
 * Joins the maintenance task's per-VM steps (engine: one step per VM, objectId = VM id, name = VM name)
 * with the vm.migrate tasks of the same request (same correlation id) for each VM's own progress. Steps
 * are paired by VM id, by name only for steps recorded before they carried the id.
 */
export function evacuationRows(maintenance: Task, migrations: Task[]): EvacuationRow[] {
  const byVmId = new Map<string, Task>();
  const byVmName = new Map<string, Task>();
  // Newest last wins: a VM retried in a later attempt shows its latest migration.
  for (const t of [...migrations].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (t.target?.id) byVmId.set(t.target.id, t);
    if (t.target?.name) byVmName.set(t.target.name, t);
  }
  return (maintenance.steps ?? []).map((step) => {
    const mig = (step.objectId ? byVmId.get(step.objectId) : byVmName.get(step.name)) ?? null;
    const target = /(?:migrating|migrated) to (.+)$/.exec(step.message ?? '')?.[1] ?? null;
    const state = STATE[step.status];
    return {
      vmName: step.name,
      vmId: step.objectId ?? mig?.target?.id ?? null,
      state,
      detail: step.message ?? '',
      target,
      progress: state === 'migrated' ? 100 : (mig?.progress ?? 0),
      migrationTaskId: mig?.id ?? null,
    };
  });
}
