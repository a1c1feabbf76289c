import { SCHEDULE_STATES, type Host, type Schedule, type Vm } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { useState } from 'react';
import { Link } from 'react-router';
import { useDetail } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { fmtTime } from '../components/format';
import { GuardedButton } from '../components/GuardedButton';
import { StatusBadge } from '../components/StatusBadge';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { Dialog } from '../dialogs/Dialog';
import { ListPage } from '../lists/ListPage';
import { useArrayRows } from '../lists/rowSource';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { ACTION_LABEL, whenText } from './scheduleForm';
import {
  fetchSchedules,
  SCHEDULE_POLL_MS,
  SCHEDULES_KEY,
  useCancelSchedule,
  useScheduleDetail,
} from './scheduleApi';

const scheduleName = (s: Pick<Schedule, 'name' | 'action'>) => s.name ?? ACTION_LABEL[s.action];

/** The VM or host a schedule acts on, by name, linking to its page. */
function TargetLink({ target }: { target: Schedule['target'] }) {
  const vm = useDetail<Vm>('vms', target.type === 'vm' ? target.id : undefined).data;
  const host = useDetail<Host>('hosts', target.type === 'host' ? target.id : undefined).data;
  const name = (vm ?? host)?.name ?? `${target.type} ${target.id.slice(0, 8)}`;
  return <Link to={`/${target.type === 'vm' ? 'vms' : 'hosts'}/${target.id}`}>{name}</Link>;
}

/**
 * Planned operations (ADR 0039): what runs next and when, each schedule's past runs with the task
 * they started (or why they were refused), and cancel.
 */
export function SchedulesPage() {
  const { filter, set } = useListParams(['q', 'state']);
  const state = (filter.state as string | undefined) ?? '';
  const rows = useArrayRows(
    [...SCHEDULES_KEY, 'list', state],
    async () => (await fetchSchedules()).filter((s) => !state || s.state === state),
    filter,
    (s) => `${scheduleName(s)} ${ACTION_LABEL[s.action]}`,
    SCHEDULE_POLL_MS,
  );
  const [open, setOpen] = useState<Schedule | null>(null);
  const [cancelling, setCancelling] = useState<Schedule | null>(null);
  const cancel = useCancelSchedule();
  const columns: Column<Schedule>[] = [
    {
      key: 'name',
      header: 'Schedule',
      width: 'minmax(140px, 1.2fr)',
      render: (s) => (
        <button type="button" className="link-button" onClick={() => setOpen(s)}>
          {scheduleName(s)}
        </button>
      ),
    },
    {
      key: 'action',
      header: 'Action',
      width: '110px',
      hideBelow: 820,
      render: (s) => ACTION_LABEL[s.action],
    },
    {
      key: 'target',
      header: 'Target',
      width: 'minmax(110px, 1fr)',
      render: (s) => <TargetLink target={s.target} />,
    },
    {
      key: 'when',
      header: 'When',
      width: 'minmax(150px, 1.2fr)',
      render: (s) => <span className="ellipsis">{whenText(s, fmtTime)}</span>,
    },
    timeColumn('next', 'Next run', (s) => s.nextRunAt),
    { key: 'state', header: 'State', width: '110px', render: (s) => <StatusBadge status={s.state} /> },
    {
      key: 'actions',
      header: 'Actions',
      width: '100px',
      render: (s) => (
        <GuardedButton
          reason={s.state === 'active' ? null : `This schedule is already ${s.state}.`}
          danger
          label={`Cancel ${scheduleName(s)}`}
          onClick={() => setCancelling(s)}
        >
          Cancel
        </GuardedButton>
      ),
    },
  ];
  return (
    <ListPage
      title="Schedules"
      noun="schedules"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search schedules"
      selects={[{ param: 'state', label: 'State', options: SCHEDULE_STATES }]}
      rowName={scheduleName}
      onOpen={setOpen}
    >
      {open && <ScheduleRuns schedule={open} onClose={() => setOpen(null)} />}
      {cancelling && (
        <ConfirmDialog
          title={`Cancel schedule ${scheduleName(cancelling)}?`}
          message={<p>It never runs again; its past runs and their tasks stay.</p>}
          confirmLabel="Cancel schedule"
          danger
          onConfirm={() => cancel.mutateAsync(cancelling)}
          onClose={() => setCancelling(null)}
        />
      )}
    </ListPage>
  );
}

/** One schedule's runs, newest first: when each was due, what it did, the task it started. */
function ScheduleRuns({ schedule, onClose }: { schedule: Schedule; onClose: () => void }) {
  const { data, error } = useScheduleDetail(schedule.id);
  const runs = data?.runs ?? [];
  return (
    <Dialog title={`Runs of ${scheduleName(schedule)}`} onClose={onClose} wide>
      <p>
        {ACTION_LABEL[schedule.action]} of <TargetLink target={schedule.target} />,{' '}
        {whenText(schedule, fmtTime)}.{' '}
        {schedule.nextRunAt
          ? `Next run: ${fmtTime(schedule.nextRunAt)}.`
          : `No further run (${schedule.state}).`}
      </p>
      <ErrorBox error={error} />
      {data && runs.length === 0 && <p className="muted">It has not run yet.</p>}
      {runs.length > 0 && (
        <table className="table" aria-label="Past runs">
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Outcome</th>
              <th scope="col">Task</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{fmtTime(r.dueAt)}</td>
                <td>
                  <StatusBadge status={r.outcome} tone={r.outcome === 'started' ? 'succeeded' : 'failed'} />
                  {r.reason && <div className="small">{r.reason}</div>}
                </td>
                <td>
                  {r.taskId ? (
                    <Link to={`/tasks?task=${r.taskId}`}>
                      {r.taskStatus ? `task ${r.taskStatus}` : 'task'}
                    </Link>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
