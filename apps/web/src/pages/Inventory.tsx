import type { Cluster, DataCenter, Host, Vm } from '@kelpie/shared-types';
import { Link, useParams } from 'react-router';
import { useCount, useDetail, usePage } from '../api/hooks';
import { useDatacenterNames } from '../api/names';
import { ErrorBox } from '../components/ErrorBox';
import { fmtInt, fmtTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { VirtualTable, type Column } from '../lists/VirtualTable';
import { Props } from './VmDetail';

export function DatacenterList() {
  const list = usePagedList<DataCenter>('datacenters', {});
  const columns: Column<DataCenter>[] = [
    {
      key: 'name',
      header: 'Name',
      width: '1fr',
      render: (d) => (
        <Link className="strong" to={`/datacenters/${d.id}`}>
          {d.name}
        </Link>
      ),
    },
    {
      key: 'desc',
      header: 'Description',
      width: '2fr',
      render: (d) => <span className="muted ellipsis">{d.description}</span>,
    },
    { key: 'created', header: 'Created', width: '180px', render: (d) => fmtTime(d.createdAt) },
  ];
  return (
    <section className="page list-page" aria-labelledby="dcs-title">
      <header className="page-head">
        <h1 id="dcs-title">Datacenters</h1>
      </header>
      <VirtualTable list={list} columns={columns} label="Datacenters" noun="datacenters" />
    </section>
  );
}

export function ClusterList() {
  const list = usePagedList<Cluster>('clusters', {});
  const dcs = useDatacenterNames();
  const columns: Column<Cluster>[] = [
    {
      key: 'name',
      header: 'Name',
      width: '1fr',
      render: (c) => (
        <Link className="strong" to={`/clusters/${c.id}`}>
          {c.name}
        </Link>
      ),
    },
    { key: 'dc', header: 'Datacenter', width: '1fr', render: (c) => dcs.get(c.datacenterId) ?? '…' },
    { key: 'cpu', header: 'CPU model', width: '140px', render: (c) => c.cpuModel ?? 'host-model' },
    {
      key: 'sched',
      header: 'Scheduling',
      width: '160px',
      render: (c) => c.schedulingPolicy.replace(/_/g, ' '),
    },
    {
      key: 'desc',
      header: 'Description',
      width: '2fr',
      render: (c) => <span className="muted ellipsis">{c.description}</span>,
    },
  ];
  return (
    <section className="page list-page" aria-labelledby="clusters-title">
      <header className="page-head">
        <h1 id="clusters-title">Clusters</h1>
      </header>
      <VirtualTable list={list} columns={columns} label="Clusters" noun="clusters" />
    </section>
  );
}

export function DatacenterDetail() {
  const { id } = useParams();
  const { data: dc, error } = useDetail<DataCenter>('datacenters', id);
  const clusters = usePage<Cluster>('clusters', { datacenterId: id }, 200, 0, !!id);
  const vms = useCount('vms', { datacenterId: id });
  const hosts = useCount('hosts', { datacenterId: id });
  if (error)
    return (
      <section className="page">
        <ErrorBox error={error} />
      </section>
    );
  if (!dc) return <p className="page">Loading datacenter…</p>;
  return (
    <section className="page" aria-labelledby="dc-title">
      <header className="page-head">
        <h1 id="dc-title">Datacenter {dc.name}</h1>
      </header>
      <div className="grid-2">
        <section className="panel">
          <h2>General</h2>
          <Props
            rows={[
              ['Description', dc.description || '–'],
              ['Clusters', fmtInt(clusters.data?.total)],
              [
                'Hosts',
                <Link key="h" to={`/hosts?datacenterId=${dc.id}`}>
                  {fmtInt(hosts.data)}
                </Link>,
              ],
              [
                'VMs',
                <Link key="v" to={`/vms?datacenterId=${dc.id}`}>
                  {fmtInt(vms.data)}
                </Link>,
              ],
              ['Created', fmtTime(dc.createdAt)],
            ]}
          />
        </section>
        <section className="panel">
          <h2>Clusters</h2>
          <ul className="plain">
            {clusters.data?.items.map((c) => (
              <li key={c.id}>
                <Link to={`/clusters/${c.id}`}>{c.name}</Link> <span className="muted">{c.description}</span>
              </li>
            ))}
          </ul>
          {clusters.data?.items.length === 0 && <p className="muted">No clusters.</p>}
        </section>
      </div>
    </section>
  );
}

export function ClusterDetail() {
  const { id } = useParams();
  const { data: c, error } = useDetail<Cluster>('clusters', id);
  const dcs = useDatacenterNames();
  const hosts = usePage<Host>('hosts', { clusterId: id }, 200, 0, !!id);
  const vms = usePagedList<Vm>('vms', { clusterId: id });
  const vmColumns: Column<Vm>[] = [
    { key: 'name', header: 'Name', width: '2fr', render: (v) => <Link to={`/vms/${v.id}`}>{v.name}</Link> },
    { key: 'status', header: 'Status', width: '150px', render: (v) => <StatusBadge status={v.status} /> },
    { key: 'cpu', header: 'vCPUs', width: '80px', render: (v) => v.vcpus },
  ];
  if (error)
    return (
      <section className="page">
        <ErrorBox error={error} />
      </section>
    );
  if (!c) return <p className="page">Loading cluster…</p>;
  return (
    <section className="page" aria-labelledby="cluster-title">
      <header className="page-head">
        <h1 id="cluster-title">Cluster {c.name}</h1>
        <Link className="button primary" to={`/vms/new?clusterId=${c.id}`}>
          New VM
        </Link>
      </header>
      <div className="grid-2">
        <section className="panel">
          <h2>General</h2>
          <Props
            rows={[
              [
                'Datacenter',
                <Link key="d" to={`/datacenters/${c.datacenterId}`}>
                  {dcs.get(c.datacenterId) ?? '…'}
                </Link>,
              ],
              ['Description', c.description || '–'],
              ['CPU model', c.cpuModel ?? 'host-model'],
              ['Compatibility', c.compatibilityLevel],
              ['Scheduling', c.schedulingPolicy.replace(/_/g, ' ')],
              [
                'Migration',
                `${c.migrationPolicy.autoConverge ? 'auto-converge' : ''}${c.migrationPolicy.postCopy ? ', post-copy' : ''}, max downtime ${c.migrationPolicy.maxDowntimeMs} ms`,
              ],
            ]}
          />
        </section>
        <section className="panel">
          <h2>Hosts ({fmtInt(hosts.data?.total)})</h2>
          <ul className="plain">
            {hosts.data?.items.map((h) => (
              <li key={h.id}>
                <StatusBadge status={h.status} /> <Link to={`/hosts/${h.id}`}>{h.name}</Link>{' '}
                <span className="muted">{h.address}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel list-panel" aria-labelledby="cluster-vms">
        <h2 id="cluster-vms">VMs</h2>
        <VirtualTable list={vms} columns={vmColumns} label={`VMs of ${c.name}`} noun="VMs" />
      </section>
    </section>
  );
}
