import type { Task } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { useSearchParams } from 'react-router';
import { TaskDetail } from '../activity/TaskDetail';
import { taskMessage } from '../activity/taskText';
import { RefLink } from '../components/RefLink';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { ListPage } from '../lists/ListPage';
import {
  ACTIVITY_CHIPS,
  ACTIVITY_PARAMS,
  FollowRequest,
  OBJECT_TYPE_FILTER,
  requestColumn,
} from '../activity/activityFilters';
import type { Column } from '../lists/VirtualTable';
import { taskTypeLabel } from '../text/humanize';

const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

export function TaskList() {
  const { filter, set } = useListParams(['status', ...ACTIVITY_PARAMS]);
  const [params, setParams] = useSearchParams();
  const openId = params.get('task');
  // The open task lives in the URL (shareable; links from toasts and feeds open it).
  const open = (id: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('task', id);
        else next.delete('task');
        return next;
      },
      { replace: true },
    );
  const list = usePagedList<Task>('tasks', filter);
  const columns: Column<Task>[] = [
    {
      key: 'type',
      header: 'Task',
      width: 'minmax(110px, 1fr)',
      sort: 'type',
      render: (t) => (
        <button type="button" className="link-button" onClick={() => open(t.id)}>
          {taskTypeLabel(t.type)}
        </button>
      ),
    },
    {
      key: 'target',
      header: 'Target',
      width: 'minmax(100px, 1fr)',
      render: (t) => (t.target ? <RefLink r={t.target} /> : '–'),
    },
    {
      key: 'status',
      header: 'Status',
      width: '120px',
      sort: 'status',
      render: (t) => <StatusBadge status={t.status} />,
    },
    {
      key: 'progress',
      header: 'Progress',
      width: '100px',
      hideBelow: 760,
      sort: 'progress',
      render: (t) => <ProgressBar value={t.progress} label={`${t.type} progress`} />,
    },
    {
      key: 'msg',
      header: 'Message',
      width: 'minmax(120px, 2fr)',
      render: (t) => {
        const m = taskMessage(t);
        return (
          <span className={`ellipsis${m.error ? ' error' : ''}`} title={m.text}>
            {m.text}
          </span>
        );
      },
    },
    timeColumn('created', 'Started', (t) => t.createdAt, { sort: 'createdAt' }),
    timeColumn('finished', 'Finished', (t) => t.finishedAt, { sort: 'finishedAt', hideBelow: 1100 }),
    { ...requestColumn(set), hideBelow: 1000 },
  ];
  return (
    <ListPage
      title="Tasks"
      noun="tasks"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search tasks by type"
      selects={[{ param: 'status', label: 'Status', options: TASK_STATUSES }, OBJECT_TYPE_FILTER]}
      chips={ACTIVITY_CHIPS}
      toolbar={<FollowRequest correlationId={filter.correlationId} to="events" />}
      defaultSort="createdAt:desc"
      onOpen={(t) => open(t.id)}
    >
      {openId && <TaskDetail taskId={openId} onClose={() => open(undefined)} />}
    </ListPage>
  );
}
