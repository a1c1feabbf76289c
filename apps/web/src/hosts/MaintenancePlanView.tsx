import type { MaintenancePlan } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, as, read } from '../api/client';
import { MaintenanceMessage } from './MaintenanceMessage';

/** What entering maintenance would do now (the engine runs the evacuation's checks, nothing moves). */
export function useMaintenancePlan(hostId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ['hosts', 'maintenance-plan', hostId],
    queryFn: () =>
      read(
        api.GET('/api/v1/hosts/{id}/maintenance/plan', { params: { path: { id: hostId } } }),
        as<MaintenancePlan>(),
      ),
    staleTime: 0,
  });
}

/**
 * The maintenance confirmation's body: running and stopped VMs counted apart, then the plan VM by
 * VM — the host each running VM goes to, or why it cannot move (it would keep the host preparing
 * for maintenance until the admin shuts it down, picks a target or cancels). Until the plan is
 * there, the counts of the host's VM list stand in.
 */
export function MaintenancePlanView({
  hostId,
  hostName,
  total,
  stopped,
}: {
  hostId: string;
  hostName: string;
  total: number | undefined;
  stopped: number | undefined;
}) {
  const plan = useMaintenancePlan(hostId);
  const p = plan.data;
  return (
    <>
      <MaintenanceMessage
        hostName={hostName}
        total={p ? p.running.length + p.stopped.length : total}
        stopped={p ? p.stopped.length : stopped}
      />
      {plan.isPending && <p className="muted">Planning where each VM goes…</p>}
      {plan.error && <p className="muted">The plan could not be computed: {(plan.error as Error).message}</p>}
      {p && p.running.length > 0 && (
        <table className="table" aria-label="Maintenance plan">
          <thead>
            <tr>
              <th>Running VM</th>
              <th>Goes to</th>
            </tr>
          </thead>
          <tbody>
            {p.running.map((m) => (
              <tr key={m.vmId} data-vm={m.vmName} data-state={m.targetHostId ? 'moves' : 'blocked'}>
                <td>
                  <Link to={`/vms/${m.vmId}`}>{m.vmName}</Link>
                </td>
                <td>
                  {m.targetHostName ?? (
                    <>
                      <strong>cannot move</strong>: {m.reason}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p && p.blocked > 0 && (
        <p role="note">
          {p.blocked} running VM{p.blocked === 1 ? '' : 's'} cannot move: {hostName} will stay preparing for
          maintenance until you shut {p.blocked === 1 ? 'it' : 'them'} down, pick a target, or cancel by
          activating the host.
        </p>
      )}
    </>
  );
}
