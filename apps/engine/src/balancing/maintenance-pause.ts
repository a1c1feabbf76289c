import type { Task } from '@kelpie/shared-types';

/**
 * The hosts of a cluster balancing leaves alone because a maintenance involves them, with why: the
 * host a `host.maintenance` task evacuates, and every host a running rolling maintenance has not
 * finished yet (the one at hand and those still to come: VMs balanced onto them would only be
 * evacuated again, and VMs balanced off them would race the evacuation). The targets of evacuation
 * migrations need nothing here: no balancing run starts while a migration of the cluster's VMs runs.
 * Pure: `evacuations` and `rolling` are the running tasks of both kinds.
 */
export function pausedHosts(hostIds: string[], evacuations: Task[], rolling: Task[]): Map<string, string> {
  const mine = new Set(hostIds);
  const paused = new Map<string, string>();
  for (const t of rolling)
    for (const step of t.steps)
      if (step.objectId && mine.has(step.objectId) && step.status !== 'done')
        paused.set(step.objectId, `paused: in the running rolling maintenance (task ${t.id})`);
  for (const t of evacuations)
    if (t.target && mine.has(t.target.id))
      paused.set(t.target.id, `paused: being evacuated for maintenance (task ${t.id})`);
  return paused;
}
