import type { AuditEvent } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { RefLink } from '../components/RefLink';
import { StatusIcon } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { ListPage } from '../lists/ListPage';
import type { Column } from '../lists/VirtualTable';
import {
  ACTIVITY_CHIPS,
  ACTIVITY_PARAMS,
  FollowRequest,
  OBJECT_TYPE_FILTER,
  requestColumn,
} from '../activity/activityFilters';

export function EventList() {
  const { filter, set } = useListParams(['severity', ...ACTIVITY_PARAMS]);
  const list = usePagedList<AuditEvent>('events', filter);
  const columns: Column<AuditEvent>[] = [
    timeColumn('time', 'Time', (e) => e.time, { sort: 'time' }),
    {
      key: 'sev',
      header: 'Severity',
      width: '100px',
      sort: 'severity',
      render: (e) => (
        <>
          <StatusIcon status={e.severity} /> {e.severity}
        </>
      ),
    },
    {
      key: 'type',
      hideBelow: 820,
      header: 'Type',
      width: '160px',
      sort: 'type',
      render: (e) => (
        <button
          type="button"
          className="link-button ellipsis"
          title={`Only ${e.type} events`}
          onClick={() => set({ type: e.type })}
        >
          {e.type}
        </button>
      ),
    },
    {
      key: 'msg',
      header: 'Message',
      width: 'minmax(200px, 4fr)',
      render: (e) => <span className="ellipsis">{e.message}</span>,
    },
    {
      key: 'obj',
      header: 'Object',
      width: 'minmax(100px, 1fr)',
      render: (e) => (e.refs[0] ? <RefLink r={e.refs[0]} /> : '–'),
    },
    requestColumn(set),
  ];
  return (
    <ListPage
      title="Events"
      noun="events"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search event messages"
      selects={[
        { param: 'severity', label: 'Severity', options: ['info', 'warning', 'error'] },
        OBJECT_TYPE_FILTER,
      ]}
      chips={ACTIVITY_CHIPS}
      toolbar={<FollowRequest correlationId={filter.correlationId} to="tasks" />}
      defaultSort="time:desc"
    />
  );
}
