import { StorageDomainStatus, StorageDomainType, values, type StorageDomain } from '@kelpie/shared-types';
import { useState } from 'react';
import { useDatacenterNames } from '../api/names';
import { fmtBytes } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { parentColumn, statusColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { StorageHostsDialog } from '../storage/StorageHostsDialog';
import { STORAGE_STEPS, storageUsage, useStorageHosts, useStorageStep } from '../storage/storageApi';
import { PermissionsButton } from '../admin/PermissionsButton';

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

/** The row's lifecycle buttons (those its status allows); Delete asks first. */
function LifecycleActions({ sd }: { sd: StorageDomain }) {
  const step = useStorageStep(sd);
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <span className="row-actions">
      <PermissionsButton objectType="storage_domain" objectId={sd.id} objectName={sd.name} />
      {STORAGE_STEPS.filter((s) => s.from.includes(sd.status)).map((s) => (
        <button
          key={s.step}
          type="button"
          className={`button small${s.step === 'delete' ? ' danger' : ''}`}
          aria-label={`${s.label} ${sd.name}`}
          disabled={step.isPending}
          onClick={() =>
            s.step === 'delete' ? setConfirmDelete(true) : step.mutate(s.step, { onError: () => undefined })
          }
        >
          {s.label}
        </button>
      ))}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete storage domain ${sd.name}?`}
          message={
            <p>
              The domain is removed from Kelpie; the files on it stay. The engine refuses while disks live on
              it.
            </p>
          }
          confirmLabel="Delete"
          danger
          onConfirm={() => step.mutateAsync('delete')}
          onClose={() => setConfirmDelete(false)}
        />
      )}
    </span>
  );
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
  const [hostsOf, setHostsOf] = useState<StorageDomain | null>(null);
  const columns: Column<StorageDomain>[] = [
    {
      key: 'name',
      header: 'Name',
      width: 'minmax(120px, 1fr)',
      sort: 'name',
      render: (s) => (
        <button
          type="button"
          className="link-button strong"
          title="How each host sees it"
          onClick={() => setHostsOf(s)}
        >
          {s.name}
        </button>
      ),
    },
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
      header: 'Connection',
      width: 'minmax(120px, 1fr)',
      render: (s) => <code className="ellipsis">{connectionText(s)}</code>,
    },
    {
      key: 'actions',
      header: 'Actions',
      width: 'minmax(170px, 1fr)',
      render: (s) => <LifecycleActions sd={s} />,
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
      selects={[
        { param: 'type', label: 'Type', options: STORAGE_TYPES },
        { param: 'status', label: 'Status', options: STORAGE_STATUSES },
      ]}
    >
      {hostsOf && <StorageHostsDialog sd={hostsOf} onClose={() => setHostsOf(null)} />}
    </ListPage>
  );
}
