import type { AuditEvent, Host, HostStatus, Task, VmStatus } from '@kelpie/shared-types';
import { Link } from 'react-router';
import { useCount, usePage } from '../api/hooks';
import type { Resource } from '../api/resources';
import { EventRows, TaskRows } from '../activity/ActivityRows';
import { fmtInt, fmtKib, humanize } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusIcon } from '../components/StatusBadge';
import { FleetCharts } from '../charts/StatsCharts';
import { HealthPanel } from '../health/HealthPanel';
import { HOST_STATUSES } from './Hosts';
import { VM_STATUSES } from './VmList';

/** Templates are not VMs to the people counting them: they never run. */
const ONLY_VMS = { isTemplate: false };
const filterOf = (resource: Resource) => (resource === 'vms' ? ONLY_VMS : {});

export function CountCard({ resource, label, to }: { resource: Resource; label: string; to: string }) {
  const { data, isLoading } = useCount(resource, filterOf(resource));
  return (
    <Link to={to} className="card count-card">
      <span className="count">{isLoading ? '…' : fmtInt(data)}</span> <span className="muted">{label}</span>
    </Link>
  );
}

function StatusCount({
  resource,
  status,
  base,
}: {
  resource: 'vms' | 'hosts';
  status: string;
  base: string;
}) {
  const { data } = useCount(resource, { ...filterOf(resource), status });
  if (!data) return null;
  return (
    <li>
      <Link
        to={`${base}?status=${status}`}
        aria-label={`${fmtInt(data)} ${humanize(status)} ${resource === 'vms' ? 'VMs' : 'hosts'}`}
      >
        <StatusIcon status={status} /> <span className="strong">{fmtInt(data)}</span> {humanize(status)}
      </Link>
    </li>
  );
}

export function ByStatus({
  resource,
  statuses,
  title,
  to,
}: {
  resource: 'vms' | 'hosts';
  statuses: (VmStatus | HostStatus)[];
  title: string;
  to: string;
}) {
  const total = useCount(resource, filterOf(resource));
  return (
    <section className="panel" aria-labelledby={`by-status-${resource}`}>
      <h2 id={`by-status-${resource}`}>
        <Link to={to}>{title}</Link>{' '}
        <span className="muted">({total.data === undefined ? '…' : fmtInt(total.data)})</span>
      </h2>
      {total.data === 0 && <p className="muted">None yet.</p>}
      <ul className="status-counts">
        {statuses.map((s) => (
          <StatusCount key={s} resource={resource} status={s} base={to} />
        ))}
      </ul>
    </section>
  );
}

/**
 * The load average against the CPUs that run it: the bar stops at full, the text keeps the real
 * figure. Load counts processes running or waiting for a CPU (also I/O), so it can exceed the CPU
 * count while the CPU use (time busy, charted below) stays low.
 */
export function fleetLoad(load: number, cpus: number): { percent: number; text: string } {
  const ratio = cpus ? (load / cpus) * 100 : 0;
  const over = ratio > 100 ? ': more than the CPUs can run at once' : '';
  return {
    percent: Math.min(100, ratio),
    text: `${load.toFixed(1)} on ${cpus} CPU${cpus === 1 ? '' : 's'} (${Math.round(ratio)} %${over})`,
  };
}

/** Fleet CPU and memory use from the hosts' last heartbeat (load and memory) and capabilities. */
function FleetUse() {
  const { data } = usePage<Host>('hosts', {}, 500);
  const hosts = data?.items ?? [];
  const reporting = hosts.filter((h) => h.load);
  const cpus = reporting.reduce((n, h) => n + (h.capabilities?.cpu.count ?? 0), 0);
  const load = reporting.reduce((n, h) => n + (h.load?.load1 ?? 0), 0);
  const memTotal = reporting.reduce((n, h) => n + (h.load?.memTotalKiB ?? 0), 0);
  const memUsed = reporting.reduce((n, h) => n + ((h.load?.memTotalKiB ?? 0) - (h.load?.memFreeKiB ?? 0)), 0);
  const capCpus = hosts.reduce((n, h) => n + (h.capabilities?.cpu.count ?? 0), 0);
  const capMem = hosts.reduce((n, h) => n + (h.capabilities?.memoryKiB ?? 0), 0);
  return (
    <section className="panel" aria-labelledby="fleet-use">
      <h2 id="fleet-use">Fleet use</h2>
      {reporting.length === 0 ? (
        <p className="muted">No host has reported its load yet.</p>
      ) : (
        <>
          <div className="meter">
            <span>Load (1 min)</span>
            <ProgressBar value={fleetLoad(load, cpus).percent} label="Fleet load per CPU" />
            <span className="muted small">{fleetLoad(load, cpus).text}</span>
          </div>
          <div className="meter">
            <span>Memory</span>
            <ProgressBar value={memTotal ? (memUsed / memTotal) * 100 : 0} label="Fleet memory use" />
            <span className="muted small">
              {fmtKib(memUsed)} of {fmtKib(memTotal)}
            </span>
          </div>
        </>
      )}
      <p className="muted small">
        {hosts.length} host{hosts.length === 1 ? '' : 's'}
        {data && data.total > hosts.length ? ` (first ${hosts.length} of ${data.total})` : ''},{' '}
        {reporting.length} reporting · capacity {capCpus} CPUs, {fmtKib(capMem)}
      </p>
    </section>
  );
}

function RunningTasks() {
  const { data } = usePage<Task>('tasks', { status: 'running' }, 10);
  const queued = useCount('tasks', { status: 'queued' });
  return (
    <section className="panel" aria-labelledby="running-tasks">
      <h2 id="running-tasks">
        <Link to="/tasks?status=running">Running tasks</Link>{' '}
        <span className="muted">
          ({data ? fmtInt(data.total) : '…'}
          {queued.data ? `, ${fmtInt(queued.data)} queued` : ''})
        </span>
      </h2>
      {data && <TaskRows tasks={data.items} />}
    </section>
  );
}

function LatestEvents() {
  const { data } = usePage<AuditEvent>('events', {}, 12);
  return (
    <section className="panel" aria-labelledby="latest-events">
      <h2 id="latest-events">
        <Link to="/events">Latest events</Link>
      </h2>
      {data && <EventRows events={data.items} />}
    </section>
  );
}

export function Dashboard() {
  return (
    <section className="page" aria-labelledby="dash-title">
      <header className="page-head">
        <h1 id="dash-title">Dashboard</h1>
      </header>
      <div className="cards">
        <CountCard resource="datacenters" label="Datacenters" to="/datacenters" />
        <CountCard resource="clusters" label="Clusters" to="/clusters" />
        <CountCard resource="hosts" label="Hosts" to="/hosts" />
        <CountCard resource="vms" label="VMs" to="/vms" />
        <CountCard resource="storage-domains" label="Storage domains" to="/storage-domains" />
        <CountCard resource="networks" label="Networks" to="/networks" />
      </div>
      <div className="grid-3">
        <ByStatus resource="hosts" statuses={HOST_STATUSES} title="Hosts" to="/hosts" />
        <ByStatus resource="vms" statuses={VM_STATUSES} title="Virtual machines" to="/vms" />
        <FleetUse />
      </div>
      <section className="panel" aria-labelledby="fleet-charts">
        <h2 id="fleet-charts">Fleet CPU and memory over time</h2>
        <FleetCharts />
      </section>
      <div className="grid-2">
        <RunningTasks />
        <LatestEvents />
      </div>
      <section className="panel health" aria-label="Engine health">
        <HealthPanel />
      </section>
    </section>
  );
}
