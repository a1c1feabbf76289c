import type { MaintenanceChoice } from '@kelpie/shared-types';
import { Link } from 'react-router';
import { api, send } from '../api/client';
import { useCount } from '../api/hooks';
import { useApiMutation } from '../activity/useApiMutation';
import { useMaintenancePlan } from './MaintenancePlanView';

type Choice = { vmId: string; vmName: string; choice: Exclude<MaintenanceChoice, 'migrate'> };

const LABEL: Record<Choice['choice'], string> = { shutdown: 'Shut down', poweroff: 'Power off' };

/** Shuts down or powers off a VM that keeps the host preparing; a maintenance task then finishes. */
export function useMaintenanceChoice(host: { id: string; name: string }) {
  return useApiMutation<Choice>({
    label: (c) => `${LABEL[c.choice]} ${c.vmName} so that ${host.name} enters maintenance`,
    send: (c) =>
      send((corr) =>
        api.POST('/api/v1/hosts/{id}/maintenance/resolve', {
          params: { path: { id: host.id } },
          body: { vmId: c.vmId, choice: c.choice },
          ...corr,
        }),
      ),
    invalidates: ['hosts', 'vms', 'tasks'],
  });
}

/**
 * A host left preparing for maintenance by VMs that could not move: each such VM with the admin's
 * ways out — shut it down or power it off (the host then enters maintenance), or cancel with
 * Activate. Shown only when no evacuation runs (while one runs, its panel tells the story).
 */
export function BlockedVmChoices({ host }: { host: { id: string; name: string } }) {
  const evacuating = useCount('tasks', { type: 'host.maintenance', objectId: host.id, status: 'running' });
  const plan = useMaintenancePlan(host.id, evacuating.data === 0);
  const choose = useMaintenanceChoice(host);
  const blocked = plan.data?.running.filter((m) => !m.targetHostId) ?? [];
  if (!blocked.length) return null;
  return (
    <section className="panel" aria-labelledby="blocked-vms">
      <h2 id="blocked-vms">VMs keeping {host.name} from maintenance</h2>
      <table className="table" aria-label="VMs that cannot move">
        <tbody>
          {blocked.map((m) => (
            <tr key={m.vmId} data-vm={m.vmName}>
              <td>
                <Link to={`/vms/${m.vmId}`}>{m.vmName}</Link>
              </td>
              <td>{m.reason}</td>
              <td>
                {(['shutdown', 'poweroff'] as const).map((choice) => (
                  <button
                    key={choice}
                    type="button"
                    className="button"
                    disabled={choose.isPending}
                    onClick={() =>
                      void choose
                        .mutateAsync({ vmId: m.vmId, vmName: m.vmName, choice })
                        .catch(() => undefined)
                    }
                  >
                    {LABEL[choice]}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Or cancel the maintenance with Activate.</p>
    </section>
  );
}
