import type { Cluster, Host, Vm } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDetail, usePage } from '../api/hooks';
import { useDatacenterNames } from '../api/names';
import { ErrorBox } from '../components/ErrorBox';
import { fmtInt } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { PermissionsPanel } from '../admin/PermissionsPanel';
import { descriptionColumn, nameColumn, parentColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { useListParams } from '../lists/useListParams';
import { VirtualTable, type Column } from '../lists/VirtualTable';
import { Props } from '../components/Props';
import { GuardedButton } from '../components/GuardedButton';
import { usePermissions } from '../auth/usePermissions';
import { valueLabel } from '../text/humanize';
import { ClusterDialog } from '../inventory/ClusterDialog';
import { InventoryHead } from '../inventory/InventoryHead';
import { objectReason } from '../inventory/objectReason';
import { SWITCH_OPTIONS } from '../inventory/clusterForm';
import { BalancePanel } from '../clusters/BalancePanel';
import { RollingMaintenanceDialog, RollingMaintenancePanel } from '../clusters/RollingMaintenance';

export function ClusterList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'sort']);
  const list = usePagedList<Cluster>('clusters', filter);
  const dcs = useDatacenterNames();
  const [adding, setAdding] = useState(false);
  const columns: Column<Cluster>[] = [
    nameColumn({ to: (c) => `/clusters/${c.id}` }),
    parentColumn('Datacenter', dcs, (c) => c.datacenterId, 'datacenters'),
    { key: 'cpu', header: 'CPU model', width: '140px', render: (c) => c.cpuModel ?? 'QEMU default' },
    {
      key: 'sched',
      header: 'Scheduling',
      width: '160px',
      render: (c) => valueLabel(c.schedulingPolicy),
    },
    descriptionColumn(),
  ];
  return (
    <ListPage
      title="Clusters"
      noun="clusters"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search clusters"
      defaultSort="name:asc"
      actions={
        <button type="button" className="button" onClick={() => setAdding(true)}>
          New cluster
        </button>
      }
    >
      {adding && (
        <ClusterDialog
          datacenterId={filter.datacenterId as string | undefined}
          onClose={() => setAdding(false)}
        />
      )}
    </ListPage>
  );
}

export function ClusterDetail() {
  const { id } = useParams();
  const { data: c, error } = useDetail<Cluster>('clusters', id);
  const dcs = useDatacenterNames();
  const hosts = usePage<Host>('hosts', { clusterId: id }, 200, 0, !!id);
  const vms = usePagedList<Vm>('vms', { clusterId: id });
  const permissions = usePermissions('cluster', id);
  const manage = objectReason(permissions, 'cluster.manage', 'cluster');
  const maintain = objectReason(permissions, 'host.manage', 'cluster');
  const [rolling, setRolling] = useState(false);
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
      <InventoryHead
        kind="clusters"
        obj={c}
        title={`Cluster ${c.name}`}
        titleId="cluster-title"
        manage={manage}
        edit={(close) => <ClusterDialog cluster={c} onClose={close} />}
      >
        <Link className="button primary" to={`/vms/new?clusterId=${c.id}`}>
          New VM
        </Link>
        <GuardedButton reason={maintain} small={false} onClick={() => setRolling(true)}>
          Rolling maintenance…
        </GuardedButton>
      </InventoryHead>
      {rolling && (
        <RollingMaintenanceDialog
          cluster={c}
          hostCount={hosts.data?.total ?? 0}
          onClose={() => setRolling(false)}
        />
      )}
      <RollingMaintenancePanel clusterId={c.id} />
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
              ['CPU model', c.cpuModel ?? 'QEMU default'],
              ['Compatibility', c.compatibilityLevel],
              ['Scheduling', valueLabel(c.schedulingPolicy)],
              ['Balancing', c.balancingEnabled ? 'periodic' : 'off'],
              ['Network switch', SWITCH_OPTIONS.find((o) => o.value === c.switchType)?.label ?? c.switchType],
              ['Migration', migrationSummary(c)],
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
      <BalancePanel clusterId={c.id} />
      <section className="panel list-panel" aria-labelledby="cluster-vms">
        <h2 id="cluster-vms">VMs</h2>
        <VirtualTable list={vms} columns={vmColumns} label={`VMs of ${c.name}`} noun="VMs" />
      </section>
      <PermissionsPanel objectType="cluster" objectId={c.id} objectName={c.name} />
    </section>
  );
}

/** The cluster's migration settings in one line: "encrypted (TLS) · auto-converge, post-copy · ≤ 100 MiB/s ·
 * max downtime 500 ms". */
export function migrationSummary(c: Pick<Cluster, 'migrationPolicy' | 'migrationEncrypted'>): string {
  const m = c.migrationPolicy;
  const modes = [m.autoConverge && 'auto-converge', m.postCopy && 'post-copy', m.compressed && 'compressed']
    .filter(Boolean)
    .join(', ');
  const bw = m.maxBandwidthMiBps === null ? 'no bandwidth limit' : `≤ ${m.maxBandwidthMiBps} MiB/s`;
  return [
    c.migrationEncrypted ? 'encrypted (TLS)' : 'unencrypted',
    modes || 'pre-copy',
    bw,
    `max downtime ${m.maxDowntimeMs} ms`,
  ].join(' · ');
}
