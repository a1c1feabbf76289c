import { StorageDomainStatus, StorageDomainType, values, type StorageDomain } from '@kelpie/shared-types';
import { useState } from 'react';
import { systemReason } from '../admin/access';
import { useDatacenterNames } from '../api/names';
import { useSystemPermissions } from '../auth/AuthGate';
import { fmtBytes } from '../components/format';
import { GuardedButton } from '../components/GuardedButton';
import { ProgressBar } from '../components/ProgressBar';
import { nameColumn, parentColumn, statusColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { StorageActions } from '../storage/StorageActions';
import { storageUsage, useStorageHosts } from '../storage/storageApi';
import { StorageDomainDialog } from '../storage/StorageDomainDialog';

const STORAGE_TYPES = values(StorageDomainType);
const STORAGE_STATUSES = values(StorageDomainStatus);

/** Where a domain's data lives, in the words of its type. */
function connectionText(s: StorageDomain): string {
  const c = s.connection;
  if (c.server) return `${c.server}:${c.export ?? ''}`;
  if (c.portal) return `${c.portal} ${c.target ?? ''}${c.lun !== undefined ? ` lun ${c.lun}` : ''}`;
  if (c.pool) return `${c.pool} @ ${(c.monitors ?? []).join(',')}`;
  if (c.volumeGroup) return `vg ${c.volumeGroup}`;
  return s.path;
}

/** Hosts that use the domain and the space left (of the active host with the least free). */
function UsageCell({ sd }: { sd: StorageDomain }) {
  const { data } = useStorageHosts(sd.id);
  if (!data) return <span className="muted">…</span>;
  const u = storageUsage(data);
  const used = u.capacityBytes ? ((u.capacityBytes - (u.availableBytes ?? 0)) / u.capacityBytes) * 100 : null;
  return (
    <span className="usage-cell" data-field="usage">
      {used !== null && <ProgressBar value={used} label={`${sd.name} space used`} />}
      <span className="small">
        {used !== null ? `${fmtBytes(u.availableBytes)} free of ${fmtBytes(u.capacityBytes)} · ` : ''}
        {u.hosts ? `${u.activeHosts} of ${u.hosts} hosts` : 'no host'}
        {u.failing.length ? <span className="error"> · failing on {u.failing.join(', ')}</span> : null}
      </span>
    </span>
  );
}

export function StorageDomainList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'type', 'status', 'sort']);
  const list = usePagedList<StorageDomain>('storage-domains', filter);
  const dcs = useDatacenterNames();
  const [adding, setAdding] = useState(false);
  const addReason = systemReason(useSystemPermissions(), 'storage.manage', 'create storage domains');
  const columns: Column<StorageDomain>[] = [
    nameColumn({ width: 'minmax(120px, 1fr)', to: (s) => `/storage-domains/${s.id}` }),
    { key: 'type', header: 'Type', width: '70px', sort: 'type', render: (s) => s.type.toUpperCase() },
    statusColumn('120px'),
    parentColumn('Datacenter', dcs, (s) => s.datacenterId, 'datacenters'),
    {
      key: 'usage',
      header: 'Hosts and space',
      width: 'minmax(200px, 2fr)',
      render: (s) => <UsageCell sd={s} />,
    },
    {
      key: 'conn',
      hideBelow: 1150,
      header: 'Connection',
      width: 'minmax(120px, 1fr)',
      render: (s) => <code className="ellipsis">{connectionText(s)}</code>,
    },
    {
      key: 'actions',
      header: 'Actions',
      width: 'minmax(300px, 1.4fr)',
      render: (s) => <StorageActions sd={s} />,
    },
  ];
  return (
    <ListPage
      title="Storage domains"
      noun="storage domains"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search storage domains"
      defaultSort="name:asc"
      actions={
        <GuardedButton reason={addReason} small={false} showReason onClick={() => setAdding(true)}>
          New storage domain
        </GuardedButton>
      }
      selects={[
        { param: 'type', label: 'Type', options: STORAGE_TYPES },
        { param: 'status', label: 'Status', options: STORAGE_STATUSES },
      ]}
    >
      {adding && <StorageDomainDialog onClose={() => setAdding(false)} />}
    </ListPage>
  );
}
