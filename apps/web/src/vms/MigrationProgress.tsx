import type { Task, Vm } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiGet, apiSend } from '../api/client';
import { useHostNames } from '../api/names';
import { keys } from '../api/resources';
import { FINAL_TASK_STATUSES } from '../activity/Activity';
import { ErrorBox } from '../components/ErrorBox';
import { fmtBytes } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { fmtDuration, progressFigures } from './migrationForm';
import { useMigration } from './useMigration';

const rate = (bps: number | null) => (bps === null ? '–' : `${fmtBytes(bps)}/s`);

/** Live view of one migration: percent, data remaining, bandwidth, dirty rate, iteration, elapsed and
 * ETA (from `GET /migrations/{id}`, polled while it runs) and a cancel button. */
export function MigrationProgressView({
  vm,
  taskId,
  onClose,
}: {
  vm: Pick<Vm, 'id' | 'name'>;
  taskId: string;
  onClose?: () => void;
}) {
  const migration = useMigration(taskId);
  const hosts = useHostNames();
  // The live stream patches this task's cache entry (status, progress message).
  const task = useQuery({
    queryKey: keys.detail('tasks', taskId),
    queryFn: () => apiGet<Task>(`/tasks/${taskId}`),
    refetchInterval: (q) =>
      q.state.data && FINAL_TASK_STATUSES.includes(q.state.data.status) ? false : 3000,
  });
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const m = migration.data;
  const status = m?.status ?? 'running';
  const running = status === 'running';
  const f = progressFigures(m?.progress);
  const percent = status === 'succeeded' ? 100 : (f?.percent ?? task.data?.progress ?? 0);
  const hostName = (id: string | undefined) => (id ? (hosts.get(id) ?? id) : '…');

  const cancel = () => {
    setCancelling(true);
    setCancelError(null);
    apiSend('POST', `/vms/${vm.id}/migrate/cancel`).then(
      () => setCancelling(false),
      (err: unknown) => {
        setCancelError(err);
        setCancelling(false);
      },
    );
  };

  return (
    <div className="migration-progress" aria-label={`Migration of ${vm.name}`} role="group">
      <div className="row-between">
        <span>
          {hostName(m?.sourceHostId)} → <span className="strong">{hostName(m?.targetHostId)}</span>
          {m?.targetReason ? <span className="muted small"> ({m.targetReason})</span> : null}
        </span>
        <StatusBadge status={status} />
      </div>
      <ProgressBar value={percent} label={`Migration of ${vm.name}`} />
      <dl className="props props-compact">
        <div>
          <dt>Progress</dt>
          <dd data-field="percent">
            {Math.round(percent)}%{f ? ` · ${f.phase}` : ''}
          </dd>
        </div>
        <div>
          <dt>Data remaining</dt>
          <dd data-field="remaining">
            {f?.remainingBytes !== null && f?.remainingBytes !== undefined
              ? `${fmtBytes(f.remainingBytes)}${f.totalBytes ? ` of ${fmtBytes(f.totalBytes)}` : ''}`
              : '–'}
          </dd>
        </div>
        <div>
          <dt>Bandwidth</dt>
          <dd data-field="bandwidth">{rate(f?.bandwidthBps ?? null)}</dd>
        </div>
        <div>
          <dt>Dirty rate</dt>
          <dd data-field="dirty">{rate(f?.dirtyRateBps ?? null)}</dd>
        </div>
        <div>
          <dt>Iteration</dt>
          <dd data-field="iteration">{f?.iteration ?? '–'}</dd>
        </div>
        <div>
          <dt>Elapsed / ETA</dt>
          <dd data-field="eta">
            {fmtDuration(f?.elapsedMs)} / {running ? fmtDuration(f?.etaMs) : 'done'}
          </dd>
        </div>
      </dl>
      {task.data?.progressMessage && <p className="muted small">{task.data.progressMessage}</p>}
      {m?.error && <p className="error">{m.error}</p>}
      {status === 'succeeded' && (
        <p role="status">
          {vm.name} now runs on {hostName(m?.targetHostId)}
          {m?.result?.downtimeMs != null ? ` (downtime ${m.result.downtimeMs} ms)` : ''}.
        </p>
      )}
      <ErrorBox error={migration.error} />
      <ErrorBox error={cancelError} />
      <div className="form-actions">
        {running && (
          <button type="button" className="button danger" onClick={cancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel migration'}
          </button>
        )}
        {onClose && (
          <button type="button" className="button" onClick={onClose}>
            {running ? 'Close (keeps running)' : 'Close'}
          </button>
        )}
      </div>
    </div>
  );
}
