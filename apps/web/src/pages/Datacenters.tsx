import type { Cluster, DataCenter } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCount, useDetail, usePage } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { fmtInt, fmtTime } from '../components/format';
import { usePagedList } from '../lists/usePagedList';
import { PermissionsPanel } from '../admin/PermissionsPanel';
import { descriptionColumn, nameColumn, timeColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { Props } from '../components/Props';
import { GuardedButton } from '../components/GuardedButton';
import { systemReason } from '../admin/access';
import { useSystemPermissions } from '../auth/AuthGate';
import { usePermissions } from '../auth/usePermissions';
import { DatacenterDialog } from '../inventory/DatacenterDialog';
import { ClusterDialog } from '../inventory/ClusterDialog';
import { InventoryHead } from '../inventory/InventoryHead';
import { objectReason } from '../inventory/objectReason';

export function DatacenterList() {
  const { filter, set } = useListParams(['q', 'sort']);
  const list = usePagedList<DataCenter>('datacenters', filter);
  const [adding, setAdding] = useState(false);
  const addReason = systemReason(useSystemPermissions(), 'datacenter.manage', 'create datacenters');
  const columns: Column<DataCenter>[] = [
    nameColumn({ to: (d) => `/datacenters/${d.id}` }),
    descriptionColumn(),
    timeColumn('created', 'Created', (d) => d.createdAt),
  ];
  return (
    <ListPage
      title="Datacenters"
      noun="datacenters"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search datacenters"
      defaultSort="name:asc"
      actions={
        <GuardedButton reason={addReason} small={false} showReason onClick={() => setAdding(true)}>
          New datacenter
        </GuardedButton>
      }
    >
      {adding && <DatacenterDialog onClose={() => setAdding(false)} />}
    </ListPage>
  );
}

export function DatacenterDetail() {
  const { id } = useParams();
  const { data: dc, error } = useDetail<DataCenter>('datacenters', id);
  const clusters = usePage<Cluster>('clusters', { datacenterId: id }, 200, 0, !!id);
  const vms = useCount('vms', { datacenterId: id });
  const hosts = useCount('hosts', { datacenterId: id });
  const [addingCluster, setAddingCluster] = useState(false);
  const held = usePermissions('datacenter', id);
  const manage = objectReason(held, 'datacenter.manage', 'datacenter');
  const addCluster = objectReason(held, 'cluster.manage', 'datacenter');
  if (error)
    return (
      <section className="page">
        <ErrorBox error={error} />
      </section>
    );
  if (!dc) return <p className="page">Loading datacenter…</p>;
  return (
    <section className="page" aria-labelledby="dc-title">
      <InventoryHead
        kind="datacenters"
        obj={dc}
        title={`Datacenter ${dc.name}`}
        titleId="dc-title"
        manage={manage}
        edit={(close) => <DatacenterDialog dc={dc} onClose={close} />}
      >
        <GuardedButton reason={addCluster} small={false} onClick={() => setAddingCluster(true)}>
          New cluster
        </GuardedButton>
      </InventoryHead>
      {addingCluster && <ClusterDialog datacenterId={dc.id} onClose={() => setAddingCluster(false)} />}
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
      <PermissionsPanel objectType="datacenter" objectId={dc.id} objectName={dc.name} />
    </section>
  );
}
