import type { Task } from '@kelpie/shared-types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { fetchPage } from '../api/hooks';
import { keys } from '../api/resources';
import { FINAL_TASK_STATUSES } from '../activity/Activity';
import { useLatestTask } from '../activity/useLatestTask';
import { fmtTime } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { evacuationRows, type EvacuationRow } from './evacuation';

const BADGE: Record<EvacuationRow['state'], string> = {
  waiting: 'queued',
  migrating: 'running',
  migrated: 'succeeded',
  failed: 'failed',
  skipped: 'cancelled',
};

/** The host's latest maintenance, VM by VM: name, target host, progress or state, failure reason.
 * `show`: render only while it runs (top of the page) or only once it has finished (further down). */
export function EvacuationPanel({ hostId, show }: { hostId: string; show: 'running' | 'finished' }) {
  const task = useLatestTask('host.maintenance', hostId);
  const running = !!task && !FINAL_TASK_STATUSES.includes(task.status);
  // The host's reason can change without a status change (e.g. which VMs could not leave), which the
  // stream does not announce: read the host again when the evacuation ends.
  const qc = useQueryClient();
  const finishedId = task && !running ? task.id : null;
  useEffect(() => {
    if (finishedId && show === 'finished')
      void qc.invalidateQueries({ queryKey: keys.detail('hosts', hostId) });
  }, [finishedId, show, hostId, qc]);
  // Per-VM progress comes from the vm.migrate tasks of the same request (the stream patches this
  // window too; it is refreshed while the evacuation runs to pick up each VM's task as it starts).
  const filter = { correlationId: task?.correlationId ?? '', type: 'vm.migrate' };
  const migrations = useQuery({
    queryKey: keys.page('tasks', filter, 0, 200),
    queryFn: () => fetchPage<Task>('tasks', filter, 0, 200),
    enabled: !!task?.correlationId,
    refetchInterval: running ? 2000 : false,
  });
  if (!task || running !== (show === 'running')) return null;
  const rows = evacuationRows(task, migrations.data?.items ?? []);
  return (
    <section className="panel" aria-labelledby="host-evacuation">
      <h2 id="host-evacuation">
        {running ? 'Evacuation in progress' : 'Last evacuation'} <StatusBadge status={task.status} />
      </h2>
      <p className="muted small">
        Maintenance requested {fmtTime(task.createdAt)} by {task.requestedBy}
        {task.progressMessage ? ` · ${task.progressMessage}` : ''}
      </p>
      {task.errorMessage && <p className="error">{task.errorMessage}</p>}
      {rows.length === 0 ? (
        <p className="muted">{running ? 'Planning…' : 'No VM had to move.'}</p>
      ) : (
        <table className="table evacuation" aria-label="Evacuation, VM by VM">
          <thead>
            <tr>
              <th>VM</th>
              <th>Target host</th>
              <th>State</th>
              <th className="col-progress">Progress</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.vmId ?? r.vmName} data-vm={r.vmName} data-state={r.state}>
                <td>{r.vmId ? <Link to={`/vms/${r.vmId}`}>{r.vmName}</Link> : r.vmName}</td>
                <td>{r.target ?? '–'}</td>
                <td>
                  <StatusBadge status={r.state} tone={BADGE[r.state]} title={r.detail} />
                </td>
                <td>
                  <ProgressBar value={r.progress} label={`Migration of ${r.vmName}`} />
                </td>
                <td className={r.state === 'failed' ? 'error' : 'muted'}>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
