import type { AuditEvent, LogicalNetwork, StorageDomain, Task } from '@kelpie/shared-types';
import { useSearchParams } from 'react-router';
import { TaskDetail } from '../activity/TaskDetail';
import { taskMessage } from '../activity/taskText';
import { useDatacenterNames } from '../api/names';
import { RefLink } from '../components/Feeds';
import { fmtTime, humanize } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { SearchInput } from '../components/SearchInput';
import { StatusBadge, StatusIcon } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { VirtualTable, type Column } from '../lists/VirtualTable';
import { taskTypeLabel } from '../components/humanize';

const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

export function TaskList() {
  const { filter, set } = useListParams([
    'q',
    'status',
    'type',
    'objectType',
    'objectId',
    'correlationId',
    'sort',
  ]);
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
      width: 'minmax(120px, 1fr)',
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
      width: 'minmax(120px, 1fr)',
      render: (t) => (t.target ? <RefLink r={t.target} /> : '–'),
    },
    {
      key: 'status',
      header: 'Status',
      width: '130px',
      sort: 'status',
      render: (t) => <StatusBadge status={t.status} />,
    },
    {
      key: 'progress',
      header: 'Progress',
      width: '160px',
      sort: 'progress',
      render: (t) => <ProgressBar value={t.progress} label={`${t.type} progress`} />,
    },
    {
      key: 'msg',
      header: 'Message',
      width: 'minmax(160px, 2fr)',
      render: (t) => {
        const m = taskMessage(t);
        return (
          <span className={`ellipsis${m.error ? ' error' : ''}`} title={m.text}>
            {m.text}
          </span>
        );
      },
    },
    {
      key: 'created',
      header: 'Started',
      width: '170px',
      sort: 'createdAt',
      render: (t) => fmtTime(t.createdAt),
    },
    {
      key: 'finished',
      header: 'Finished',
      width: '170px',
      sort: 'finishedAt',
      render: (t) => fmtTime(t.finishedAt),
    },
  ];
  return (
    <section className="page list-page" aria-labelledby="tasks-title">
      <header className="page-head">
        <h1 id="tasks-title">Tasks</h1>
      </header>
      <div className="filters" role="search" aria-label="Filter tasks">
        <SearchInput
          label="Search tasks by type"
          value={filter.q as string | undefined}
          onChange={(q) => set({ q })}
        />
        <label>
          Status{' '}
          <select value={(filter.status as string) ?? ''} onChange={(e) => set({ status: e.target.value })}>
            <option value="">any</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        {filter.objectId && (
          <button type="button" className="chip" onClick={() => set({ objectId: undefined })}>
            one object ✕
          </button>
        )}
        {filter.correlationId && (
          <button type="button" className="chip" onClick={() => set({ correlationId: undefined })}>
            one request ✕
          </button>
        )}
      </div>
      <VirtualTable
        list={list}
        columns={columns}
        label="Tasks"
        noun="tasks"
        sort={filter.sort as string | undefined}
        defaultSort="createdAt:desc"
        onSort={(sort) => set({ sort })}
        onOpen={(t) => open(t.id)}
      />
      {openId && <TaskDetail taskId={openId} onClose={() => open(undefined)} />}
    </section>
  );
}

export function EventList() {
  const { filter, set } = useListParams([
    'q',
    'severity',
    'type',
    'objectType',
    'objectId',
    'correlationId',
    'sort',
  ]);
  const list = usePagedList<AuditEvent>('events', filter);
  const columns: Column<AuditEvent>[] = [
    { key: 'time', header: 'Time', width: '170px', sort: 'time', render: (e) => fmtTime(e.time) },
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
    { key: 'type', header: 'Type', width: '160px', sort: 'type', render: (e) => e.type },
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
  ];
  return (
    <section className="page list-page" aria-labelledby="events-title">
      <header className="page-head">
        <h1 id="events-title">Events</h1>
      </header>
      <div className="filters" role="search" aria-label="Filter events">
        <SearchInput
          label="Search event messages"
          value={filter.q as string | undefined}
          onChange={(q) => set({ q })}
        />
        <label>
          Severity{' '}
          <select
            value={(filter.severity as string) ?? ''}
            onChange={(e) => set({ severity: e.target.value })}
          >
            <option value="">any</option>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="error">error</option>
          </select>
        </label>
        {filter.correlationId && (
          <button type="button" className="chip" onClick={() => set({ correlationId: undefined })}>
            one request ✕
          </button>
        )}
      </div>
      <VirtualTable
        list={list}
        columns={columns}
        label="Events"
        noun="events"
        sort={filter.sort as string | undefined}
        defaultSort="time:desc"
        onSort={(sort) => set({ sort })}
      />
    </section>
  );
}

export function StorageDomainList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'type', 'status', 'sort']);
  const list = usePagedList<StorageDomain>('storage-domains', filter);
  const dcs = useDatacenterNames();
  const conn = (s: StorageDomain) => {
    const c = s.connection;
    if (c.server) return `${c.server}:${c.export ?? ''}`;
    if (c.portal) return `${c.portal} ${c.target ?? ''}${c.lun !== undefined ? ` lun ${c.lun}` : ''}`;
    if (c.pool) return `${c.pool} @ ${(c.monitors ?? []).join(',')}`;
    if (c.volumeGroup) return `vg ${c.volumeGroup}`;
    return s.path;
  };
  const columns: Column<StorageDomain>[] = [
    {
      key: 'name',
      header: 'Name',
      width: 'minmax(140px, 1fr)',
      sort: 'name',
      render: (s) => <span className="strong">{s.name}</span>,
    },
    { key: 'type', header: 'Type', width: '80px', sort: 'type', render: (s) => s.type },
    {
      key: 'status',
      header: 'Status',
      width: '120px',
      sort: 'status',
      render: (s) => <StatusBadge status={s.status} />,
    },
    {
      key: 'dc',
      header: 'Datacenter',
      width: 'minmax(100px, 1fr)',
      render: (s) => dcs.get(s.datacenterId) ?? '…',
    },
    {
      key: 'conn',
      header: 'Connection',
      width: 'minmax(160px, 2fr)',
      render: (s) => <code className="ellipsis">{conn(s)}</code>,
    },
    {
      key: 'path',
      header: 'Path',
      width: 'minmax(140px, 1fr)',
      render: (s) => <code className="ellipsis">{s.path}</code>,
    },
  ];
  return (
    <section className="page list-page" aria-labelledby="sd-title">
      <header className="page-head">
        <h1 id="sd-title">Storage domains</h1>
      </header>
      <div className="filters" role="search" aria-label="Filter storage domains">
        <SearchInput
          label="Search storage domains"
          value={filter.q as string | undefined}
          onChange={(q) => set({ q })}
        />
      </div>
      <VirtualTable
        list={list}
        columns={columns}
        label="Storage domains"
        noun="storage domains"
        sort={filter.sort as string | undefined}
        defaultSort="name:asc"
        onSort={(sort) => set({ sort })}
      />
    </section>
  );
}

export function NetworkList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'clusterId', 'sort']);
  const list = usePagedList<LogicalNetwork>('networks', filter);
  const dcs = useDatacenterNames();
  const columns: Column<LogicalNetwork>[] = [
    {
      key: 'name',
      header: 'Name',
      width: 'minmax(140px, 1fr)',
      sort: 'name',
      render: (n) => <span className="strong">{n.name}</span>,
    },
    {
      key: 'dc',
      header: 'Datacenter',
      width: 'minmax(100px, 1fr)',
      render: (n) => dcs.get(n.datacenterId) ?? '…',
    },
    {
      key: 'bridge',
      header: 'Bridge',
      width: '120px',
      sort: 'bridge',
      render: (n) => <code>{n.bridge}</code>,
    },
    { key: 'vlan', header: 'VLAN', width: '80px', sort: 'vlanId', render: (n) => n.vlanId ?? '–' },
    { key: 'mtu', header: 'MTU', width: '80px', render: (n) => n.mtu },
    { key: 'vm', header: 'VM network', width: '110px', render: (n) => (n.vmNetwork ? 'yes' : 'no') },
    {
      key: 'desc',
      header: 'Description',
      width: 'minmax(120px, 2fr)',
      render: (n) => <span className="muted ellipsis">{n.description}</span>,
    },
  ];
  return (
    <section className="page list-page" aria-labelledby="net-title">
      <header className="page-head">
        <h1 id="net-title">Logical networks</h1>
      </header>
      <div className="filters" role="search" aria-label="Filter networks">
        <SearchInput
          label="Search networks"
          value={filter.q as string | undefined}
          onChange={(q) => set({ q })}
        />
      </div>
      <VirtualTable
        list={list}
        columns={columns}
        label="Logical networks"
        noun="networks"
        sort={filter.sort as string | undefined}
        defaultSort="name:asc"
        onSort={(sort) => set({ sort })}
      />
    </section>
  );
}
