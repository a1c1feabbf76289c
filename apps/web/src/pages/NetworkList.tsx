import type { LogicalNetwork } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link } from 'react-router';
import { PermissionsButton } from '../admin/PermissionsButton';
import { useDatacenterNames } from '../api/names';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { descriptionColumn, nameColumn, parentColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { NetworkClustersDialog } from '../networks/NetworkClustersDialog';
import { useDeleteNetwork, useNetworkAttachments } from '../networks/networkApi';

function DeleteNetwork({ network, onClose }: { network: LogicalNetwork; onClose: () => void }) {
  const del = useDeleteNetwork(network);
  return (
    <ConfirmDialog
      title={`Delete network ${network.name}?`}
      message={<p>The engine refuses while NICs or clusters use it, naming them.</p>}
      confirmLabel="Delete"
      danger
      onConfirm={() => del.mutateAsync()}
      onClose={onClose}
    />
  );
}

export function NetworkList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'clusterId', 'sort']);
  const list = usePagedList<LogicalNetwork>('networks', filter);
  const dcs = useDatacenterNames();
  const { clusters, byNetwork } = useNetworkAttachments();
  const [open, setOpen] = useState<{ network: LogicalNetwork; what: 'clusters' | 'delete' } | null>(null);
  const columns: Column<LogicalNetwork>[] = [
    nameColumn(),
    parentColumn('Datacenter', dcs, (n) => n.datacenterId, 'datacenters'),
    {
      key: 'clusters',
      header: 'Clusters',
      width: 'minmax(160px, 2fr)',
      render: (n) => {
        const list = byNetwork.get(n.id) ?? [];
        if (!list.length) return <span className="muted">not attached</span>;
        return (
          <span className="ellipsis" data-field="clusters">
            {list.map((a, i) => (
              <span key={a.clusterId}>
                {i > 0 && ', '}
                <Link to={`/clusters/${a.clusterId}`}>{a.clusterName}</Link>
                {a.attachment === 'optional' ? ' (optional)' : ''}
              </span>
            ))}
          </span>
        );
      },
    },
    {
      key: 'bridge',
      header: 'Bridge',
      width: '110px',
      sort: 'bridge',
      render: (n) => <code>{n.bridge}</code>,
    },
    { key: 'vlan', header: 'VLAN', width: '70px', sort: 'vlanId', render: (n) => n.vlanId ?? '–' },
    { key: 'mtu', header: 'MTU', width: '70px', render: (n) => n.mtu },
    { key: 'vm', header: 'VM net', width: '80px', render: (n) => (n.vmNetwork ? 'yes' : 'no') },
    descriptionColumn('minmax(80px, 1fr)'),
    {
      key: 'actions',
      header: 'Actions',
      width: '280px',
      render: (n) => (
        <span className="row-actions">
          <button
            type="button"
            className="button small"
            aria-label={`Clusters of ${n.name}`}
            onClick={() => setOpen({ network: n, what: 'clusters' })}
          >
            Clusters…
          </button>
          <button
            type="button"
            className="button small danger"
            aria-label={`Delete ${n.name}`}
            onClick={() => setOpen({ network: n, what: 'delete' })}
          >
            Delete
          </button>
          <PermissionsButton objectType="network" objectId={n.id} objectName={n.name} />
        </span>
      ),
    },
  ];
  const close = () => setOpen(null);
  return (
    <ListPage
      title="Logical networks"
      noun="networks"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search networks"
      defaultSort="name:asc"
    >
      {open?.what === 'clusters' && (
        <NetworkClustersDialog
          network={open.network}
          clusters={clusters}
          attached={byNetwork.get(open.network.id) ?? []}
          onClose={close}
        />
      )}
      {open?.what === 'delete' && <DeleteNetwork network={open.network} onClose={close} />}
    </ListPage>
  );
}
