import type { RollingHostAction } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, send } from '../api/client';
import { FINAL_TASK_STATUSES } from '../activity/Activity';
import { useApiMutation } from '../activity/useApiMutation';
import { useLatestTask } from '../activity/useLatestTask';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';

export const ROLLING_TASK = 'cluster.rolling_maintenance';

const STEP_TONE: Record<string, string> = {
  pending: 'queued',
  running: 'running',
  done: 'succeeded',
  failed: 'failed',
  skipped: 'cancelled',
};

/** "Rolling maintenance…": asks what to do with each host once in maintenance, then starts the run. */
export function RollingMaintenanceDialog({
  cluster,
  hostCount,
  onClose,
}: {
  cluster: { id: string; name: string };
  hostCount: number;
  onClose: () => void;
}) {
  const [action, setAction] = useState<RollingHostAction>('reactivate');
  const start = useApiMutation<RollingHostAction>({
    label: () => `Rolling maintenance of ${cluster.name}`,
    send: (a) =>
      send((corr) =>
        api.POST('/api/v1/clusters/{id}/rolling-maintenance', {
          params: { path: { id: cluster.id } },
          body: { action: a },
          ...corr,
        }),
      ),
    invalidates: ['hosts', 'tasks'],
  });
  return (
    <ConfirmDialog
      title={`Rolling maintenance of ${cluster.name}?`}
      message={
        <>
          <p>
            The {hostCount} host(s) enter maintenance one at a time: each one&apos;s running VMs are
            live-migrated to the others, then it is activated again, and the next one starts once it is up.
          </p>
          <fieldset>
            <legend>Once a host is in maintenance</legend>
            <label>
              <input
                type="radio"
                name="rolling-action"
                checked={action === 'reactivate'}
                onChange={() => setAction('reactivate')}
              />{' '}
              Activate it again at once
            </label>
            <label>
              <input
                type="radio"
                name="rolling-action"
                checked={action === 'wait_for_admin'}
                onChange={() => setAction('wait_for_admin')}
              />{' '}
              Wait for me (continue from this page)
            </label>
          </fieldset>
        </>
      }
      confirmLabel="Start rolling maintenance"
      onConfirm={() => start.mutateAsync(action)}
      onClose={onClose}
    />
  );
}

/** The cluster's latest rolling maintenance, host by host, with Continue (when it waits for the
 * admin) and Cancel while it runs. */
export function RollingMaintenancePanel({ clusterId }: { clusterId: string }) {
  const task = useLatestTask(ROLLING_TASK, clusterId);
  const proceed = useApiMutation({
    label: () => 'Continue the rolling maintenance',
    send: () =>
      send((corr) =>
        api.POST('/api/v1/clusters/{id}/rolling-maintenance/continue', {
          params: { path: { id: clusterId } },
          ...corr,
        }),
      ),
    invalidates: ['hosts', 'tasks'],
  });
  const cancel = useApiMutation<string>({
    label: () => 'Cancel the rolling maintenance',
    send: (id) =>
      send((corr) => api.POST('/api/v1/tasks/{id}/cancel', { params: { path: { id } }, ...corr })),
    invalidates: ['tasks'],
  });
  if (!task) return null;
  const running = !FINAL_TASK_STATUSES.includes(task.status);
  const waiting =
    running &&
    task.steps.some((s) => s.status === 'running' && /waiting for the admin/.test(s.message ?? ''));
  return (
    <section className="panel" aria-labelledby="rolling-maintenance">
      <h2 id="rolling-maintenance">
        {running ? 'Rolling maintenance' : 'Last rolling maintenance'} <StatusBadge status={task.status} />
      </h2>
      <ProgressBar value={task.progress} label="Rolling maintenance" />
      {task.errorMessage && <p className="error">{task.errorMessage}</p>}
      <table className="table" aria-label="Rolling maintenance, host by host">
        <tbody>
          {task.steps.map((s) => (
            <tr key={s.objectId ?? s.name} data-host={s.name} data-state={s.status}>
              <td>{s.objectId ? <Link to={`/hosts/${s.objectId}`}>{s.name}</Link> : s.name}</td>
              <td>
                <StatusBadge status={s.status} tone={STEP_TONE[s.status]} />
              </td>
              <td className={s.status === 'failed' ? 'error' : 'muted'}>{s.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {running && (
        <div className="actions">
          {waiting && (
            <button
              type="button"
              className="button primary"
              disabled={proceed.isPending}
              onClick={() => void proceed.mutateAsync().catch(() => undefined)}
            >
              Continue
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={cancel.isPending}
            onClick={() => void cancel.mutateAsync(task.id).catch(() => undefined)}
          >
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
