import type { MigrationStatus, MigrationTaskResult, Task, TaskStatus, Vm } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { api, send } from '../api/client';
import { fetchItem } from '../api/hooks';
import { useHostNames } from '../api/names';
import { keys } from '../api/resources';
import { FINAL_TASK_STATUSES } from '../activity/Activity';
import { useApiMutation } from '../activity/useApiMutation';
import { ErrorBox } from '../components/ErrorBox';
import { fmtBytes, humanize } from '../components/format';
import { fmtDuration as fmtMs } from '../activity/taskText';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { fmtDuration, progressFigures } from './migrationForm';
import { useMigration } from './useMigration';

const rate = (bps: number | null) => (bps === null ? '–' : `${fmtBytes(bps)}/s`);

/** The migration's state as the page sees it: its task (patched by the live stream, like the VM) is
 * the truth once final; the polled migration row can lag it by a second or more. */
export function migrationState(
  task: Pick<Task, 'status'> | undefined,
  rowStatus: MigrationStatus | undefined,
): MigrationStatus {
  if (task && FINAL_TASK_STATUSES.includes(task.status)) return TASK_TO_MIGRATION[task.status];
  return rowStatus ?? 'running';
}

const TASK_TO_MIGRATION: Record<TaskStatus, MigrationStatus> = {
  queued: 'running',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'failed',
};

/** Live view of one migration: percent, data remaining, bandwidth, dirty rate, iteration, elapsed and
 * ETA (from `GET /migrations/{id}`, polled while it runs) and a cancel button; once it succeeded, its
 * final figures (total time, downtime, data transferred, iterations: the task's result). */
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
  // The live stream patches this task's cache entry (status, progress message, result).
  const task = useQuery({
    queryKey: keys.detail('tasks', taskId),
    queryFn: () => fetchItem<Task>('tasks', taskId),
    refetchInterval: (q) =>
      q.state.data && FINAL_TASK_STATUSES.includes(q.state.data.status) ? false : 3000,
  });
  const cancel = useApiMutation<void>({
    label: () => `Cancel migration of ${vm.name}`,
    send: () =>
      send((c) => api.POST('/api/v1/vms/{id}/migrate/cancel', { params: { path: { id: vm.id } }, ...c })),
    invalidates: ['vms', 'tasks'],
  });
  const m = migration.data;
  const status = migrationState(task.data, m?.status);
  const running = status === 'running';
  const result = (task.data?.result as MigrationTaskResult | null | undefined) ?? m?.result ?? null;
  const f = progressFigures(m?.progress);
  const percent = status === 'succeeded' ? 100 : (f?.percent ?? task.data?.progress ?? 0);
  const hostName = (id: string | undefined) => (id ? (hosts.get(id) ?? id) : '…');
  const targetId = result?.targetHostId ?? m?.targetHostId;
  const error = m?.error ?? (running ? null : task.data?.errorMessage);

  return (
    <div className="migration-progress" aria-label={`Migration of ${vm.name}`} role="group">
      <div className="row-between">
        <span>
          {hostName(result?.sourceHostId ?? m?.sourceHostId)} →{' '}
          <span className="strong">{hostName(targetId)}</span>
          {m?.targetReason ? <span className="muted small"> ({m.targetReason})</span> : null}
        </span>
        <StatusBadge status={status} />
      </div>
      <ProgressBar value={percent} label={`Migration of ${vm.name}`} />
      {status === 'succeeded' ? (
        <dl className="props props-compact" aria-label="Final figures">
          <div>
            <dt>Total time</dt>
            <dd data-field="total">{result ? fmtMs(result.totalMs) : '…'}</dd>
          </div>
          <div>
            <dt>Downtime</dt>
            <dd data-field="downtime">{result?.downtimeMs != null ? `${result.downtimeMs} ms` : '–'}</dd>
          </div>
          <div>
            <dt>Data transferred</dt>
            <dd data-field="transferred">
              {result?.dataTransferredBytes != null ? fmtBytes(result.dataTransferredBytes) : '–'}
              {result?.memoryTotalBytes ? ` (memory ${fmtBytes(result.memoryTotalBytes)})` : ''}
            </dd>
          </div>
          <div>
            <dt>Iterations</dt>
            <dd data-field="iterations">
              {result?.iterations ?? '–'}
              {result?.postcopyUsed ? ' · switched to post-copy' : ''}
            </dd>
          </div>
        </dl>
      ) : (
        <dl className="props props-compact">
          <div>
            <dt>Progress</dt>
            <dd data-field="percent">
              {Math.round(percent)}%{f && running ? ` · ${f.phase}` : ''}
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
              {fmtDuration(f?.elapsedMs)} / {running ? fmtDuration(f?.etaMs) : humanize(status)}
            </dd>
          </div>
        </dl>
      )}
      {running && task.data?.progressMessage && <p className="muted small">{task.data.progressMessage}</p>}
      {error && <p className="error">{error}</p>}
      {status === 'succeeded' && (
        <p role="status">
          {vm.name} now runs on {hostName(targetId)}.
        </p>
      )}
      <ErrorBox error={migration.error} />
      <ErrorBox error={cancel.error} />
      <div className="form-actions">
        {running && (
          <button
            type="button"
            className="button danger"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel migration'}
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
