import type { LogicalNetwork } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PermissionsPanel } from '../admin/PermissionsPanel';
import { systemReason } from '../admin/access';
import { useDatacenterNames } from '../api/names';
import { useSystemPermissions } from '../auth/AuthGate';
import { GuardedButton } from '../components/GuardedButton';
import { RowMenu } from '../components/RowMenu';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { Dialog } from '../dialogs/Dialog';
import { descriptionColumn, nameColumn, parentColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { NetworkClustersDialog } from '../networks/NetworkClustersDialog';
import { NetworkDialog } from '../networks/NetworkDialog';
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
  const navigate = useNavigate();
  const { clusters, byNetwork } = useNetworkAttachments();
  const [open, setOpen] = useState<{
    network?: LogicalNetwork;
    what: 'new' | 'edit' | 'clusters' | 'delete' | 'permissions';
  } | null>(null);
  const addReason = systemReason(useSystemPermissions(), 'network.manage', 'create networks');
  const columns: Column<LogicalNetwork>[] = [
    {
      // The widest share of what the menu button left: names are what the list is read by.
      ...nameColumn<LogicalNetwork>({ width: 'minmax(160px, 2fr)' }),
      // Whether VMs may use it, by the name (a column of its own did not fit 1280 px with the
      // navigation open).
      render: (n) => (
        <span className="cell-with-action">
          <span className="ellipsis strong">{n.name}</span>
          {!n.vmNetwork && (
            <span className="tag" title="Hosts carry it; VM NICs cannot use it">
              no VMs
            </span>
          )}
        </span>
      ),
    },
    parentColumn('Datacenter', dcs, (n) => n.datacenterId, 'datacenters'),
    {
      key: 'clusters',
      header: 'Clusters',
      width: 'minmax(160px, 2fr)',
      // The attachments and their Change… (not among the row actions): all columns fit 1280 px with
      // the navigation open.
      render: (n) => {
        const list = byNetwork.get(n.id) ?? [];
        return (
          <span className="cell-with-action">
            {list.length ? (
              <span
                className="ellipsis"
                data-field="clusters"
                title={list.map((a) => `${a.clusterName} (${a.attachment})`).join(', ')}
              >
                {list.map((a, i) => (
                  <span key={a.clusterId}>
                    {i > 0 && ', '}
                    <Link to={`/clusters/${a.clusterId}`}>{a.clusterName}</Link>
                    {a.attachment === 'optional' ? ' (optional)' : ''}
                  </span>
                ))}
              </span>
            ) : (
              <span className="ellipsis muted">not attached</span>
            )}
            <button
              type="button"
              className="button small"
              aria-label={`Change the clusters of ${n.name}`}
              onClick={() => setOpen({ network: n, what: 'clusters' })}
            >
              Change…
            </button>
          </span>
        );
      },
    },
    {
      key: 'bridge',
      header: 'Bridge',
      width: '86px',
      sort: 'bridge',
      render: (n) => <code>{n.bridge}</code>,
    },
    // One column for both so that they stay in sight beside the actions at 1024 px.
    {
      key: 'vlan',
      header: 'VLAN / MTU',
      width: '134px',
      sort: 'vlanId',
      render: (n) => `${n.vlanId ?? 'untagged'} / ${n.mtu}`,
    },
    // Left out exactly when the columns' least widths (812 px) do not fit: at 1280 px and at 1024 px
    // with the navigation open all show.
    { ...descriptionColumn('minmax(76px, 1fr)'), hideBelow: 812 },
    {
      key: 'actions',
      header: 'Actions',
      width: '96px',
      // One menu button: the four actions as buttons took 300 px and squeezed the other columns.
      render: (n) => (
        <RowMenu
          label={`Actions for ${n.name}`}
          items={[
            { label: 'Edit…', onSelect: () => setOpen({ network: n, what: 'edit' }) },
            { label: 'vNIC profiles', onSelect: () => void navigate(`/vnic-profiles?networkId=${n.id}`) },
            { label: 'Permissions…', onSelect: () => setOpen({ network: n, what: 'permissions' }) },
            { label: 'Delete…', danger: true, onSelect: () => setOpen({ network: n, what: 'delete' }) },
          ]}
        />
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
      actions={
        <GuardedButton reason={addReason} small={false} showReason onClick={() => setOpen({ what: 'new' })}>
          New network
        </GuardedButton>
      }
    >
      {(open?.what === 'new' || open?.what === 'edit') && (
        <NetworkDialog network={open.network} clusters={clusters} onClose={close} />
      )}
      {open?.what === 'clusters' && open.network && (
        <NetworkClustersDialog
          network={open.network}
          clusters={clusters}
          attached={byNetwork.get(open.network.id) ?? []}
          onClose={close}
        />
      )}
      {open?.what === 'delete' && open.network && <DeleteNetwork network={open.network} onClose={close} />}
      {open?.what === 'permissions' && open.network && (
        <Dialog title={`Permissions on ${open.network.name}`} wide onClose={close}>
          <PermissionsPanel objectType="network" objectId={open.network.id} objectName={open.network.name} />
        </Dialog>
      )}
    </ListPage>
  );
}
