import type { AuditEvent, Task } from '@kelpie/shared-types';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDetail, usePage } from '../api/hooks';
import type { ListFilter } from '../api/resources';
import { ErrorBox } from '../components/ErrorBox';
import { RefLink } from '../components/RefLink';
import { EventRows } from './ActivityRows';
import { fmtTime, humanize } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Dialog } from '../dialogs/Dialog';
import { Props } from '../components/Props';
import { fmtDuration, isFinalTask, taskDurationMs, taskMessage } from './taskText';
import { taskTypeLabel } from '../text/humanize';

/** The events of a task: those of its request (correlation id), else those about its target while
 * it ran. */
function eventFilter(t: Task): ListFilter {
  if (t.correlationId) return { correlationId: t.correlationId, sort: 'time:asc' };
  return {
    objectId: t.target?.id,
    since: t.createdAt,
    until: t.finishedAt ? new Date(Date.parse(t.finishedAt) + 1000).toISOString() : undefined,
    sort: 'time:asc',
  };
}

/**
 * Everything about one task: its whole outcome (never cut off), its steps, timing, who asked, and
 * the events it caused. Follows the task live (the stream patches its cache entry).
 */
export function TaskDetail({ taskId, onClose }: { taskId: string; onClose: () => void }) {
  const { data: task, error } = useDetail<Task>('tasks', taskId);
  const events = usePage<AuditEvent>('events', task ? eventFilter(task) : {}, 100, 0, !!task);
  const title = task
    ? `${taskTypeLabel(task.type)}${task.target?.name ? ` · ${task.target.name}` : ''}`
    : 'Task';
  const message = task ? taskMessage(task) : null;
  return (
    <Dialog title={title} onClose={onClose} wide>
      <ErrorBox error={error} />
      {task && message && (
        <div className="task-detail">
          <div className="row-between">
            <StatusBadge status={task.status} />
            {!isFinalTask(task) && (
              <ProgressBar value={task.progress} label={`${taskTypeLabel(task.type)} progress`} />
            )}
          </div>
          {message.text && (
            <p
              className={message.error ? 'error-box task-outcome' : 'task-outcome'}
              data-testid="task-outcome"
            >
              {message.text}
            </p>
          )}
          <Props
            rows={[
              ['Target', task.target ? <RefLink r={task.target} /> : '–'],
              ['Requested by', task.requestedBy],
              ['Created', fmtTime(task.createdAt)],
              ['Started', fmtTime(task.startedAt)],
              ['Finished', fmtTime(task.finishedAt)],
              ['Duration', fmtDuration(taskDurationMs(task))],
              ...(task.correlationId
                ? [
                    ['Request', <RequestLinks key="r" id={task.correlationId} onFollow={onClose} />] as [
                      string,
                      ReactNode,
                    ],
                  ]
                : []),
            ]}
          />
          <h3>Steps</h3>
          {task.steps.length ? (
            <ol className="task-steps">
              {task.steps.map((s, i) => (
                <li key={i}>
                  <StatusBadge status={s.status} /> <span className="strong">{humanize(s.name)}</span>
                  {s.message && <div className="muted small">{s.message}</div>}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">This task records no steps.</p>
          )}
          <h3>Events</h3>
          <ErrorBox error={events.error} />
          {events.data ? <EventRows events={events.data.items} /> : <p className="muted">Loading…</p>}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** The correlation id of the request that started the task, and where to follow it. */
function RequestLinks({ id, onFollow }: { id: string; onFollow: () => void }) {
  const q = encodeURIComponent(id);
  return (
    <>
      <code>{id}</code> ·{' '}
      <Link to={`/tasks?correlationId=${q}`} onClick={onFollow}>
        all its tasks
      </Link>{' '}
      · <Link to={`/events?correlationId=${q}`}>all its events</Link>
    </>
  );
}
