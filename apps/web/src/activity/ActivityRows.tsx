import type { AuditEvent, Task } from '@kelpie/shared-types';
import { Link } from 'react-router';
import { taskMessage } from './taskText';
import { fmtAgo, fmtTime } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge, StatusIcon } from '../components/StatusBadge';
import { taskTypeLabel } from '../text/humanize';
import { RefLink } from '../components/RefLink';

/** Task and event rows as the dashboard, a VM's page and a task's detail show them. */
export function TaskRows({ tasks }: { tasks: Task[] }) {
  if (!tasks.length) return <p className="muted">No tasks.</p>;
  return (
    <ul className="feed">
      {tasks.map((t) => (
        <li key={t.id}>
          <div className="row-between">
            <span>
              <Link className="strong" to={`/tasks?task=${t.id}`}>
                {taskTypeLabel(t.type)}
              </Link>
              {t.target && (
                <>
                  {' '}
                  · <RefLink r={t.target} />
                </>
              )}
            </span>
            <StatusBadge status={t.status} />
          </div>
          {(t.status === 'running' || t.status === 'queued') && (
            <ProgressBar value={t.progress} label={`${t.type} ${t.target?.name ?? ''} progress`} />
          )}
          <div className="muted small">
            <TaskLine task={t} />{' '}
            <time dateTime={t.createdAt} title={fmtTime(t.createdAt)}>
              {fmtAgo(t.createdAt)}
            </time>
          </div>
        </li>
      ))}
    </ul>
  );
}

function TaskLine({ task }: { task: Task }) {
  const m = taskMessage(task);
  return m.error ? <span className="error">{m.text}</span> : <>{m.text}</>;
}

export function EventRows({ events }: { events: AuditEvent[] }) {
  if (!events.length) return <p className="muted">No events.</p>;
  return (
    <ul className="feed">
      {events.map((e) => (
        <li key={e.id} className="event-row">
          <StatusIcon status={e.severity} />
          <span className="event-msg">{e.message}</span>
          <time className="muted small" dateTime={e.time} title={fmtTime(e.time)}>
            {fmtAgo(e.time)}
          </time>
        </li>
      ))}
    </ul>
  );
}
