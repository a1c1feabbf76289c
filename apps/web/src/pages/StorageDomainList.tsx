import type { StorageDomain, StorageDomainStatus } from '@kelpie/shared-types';
import { useState } from 'react';
import { useActivity } from '../activity/Activity';
import { apiSend } from '../api/client';
import { useDatacenterNames } from '../api/names';
import { nameColumn, parentColumn, statusColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import type { Column } from '../lists/VirtualTable';
import { StorageHostsDialog } from '../storage/StorageHostsDialog';
import { PermissionsButton } from '../admin/PermissionsButton';

/** Where a domain's data lives, in the words of its type. */
function connectionText(s: StorageDomain): string {
  const c = s.connection;
  if (c.server) return `${c.server}:${c.export ?? ''}`;
  if (c.portal) return `${c.portal} ${c.target ?? ''}${c.lun !== undefined ? ` lun ${c.lun}` : ''}`;
  if (c.pool) return `${c.pool} @ ${(c.monitors ?? []).join(',')}`;
  if (c.volumeGroup) return `vg ${c.volumeGroup}`;
  return s.path;
}

type Step = 'attach' | 'activate' | 'maintenance' | 'detach';

/** Each lifecycle step and the statuses it starts from (the engine refuses the others with 409). */
const STEPS: { step: Step; label: string; from: StorageDomainStatus[] }[] = [
  { step: 'attach', label: 'Attach', from: ['detached'] },
  { step: 'activate', label: 'Activate', from: ['inactive', 'maintenance', 'unknown'] },
  { step: 'maintenance', label: 'Maintenance', from: ['active', 'degraded'] },
  { step: 'detach', label: 'Detach', from: ['inactive', 'maintenance', 'unknown'] },
];

function LifecycleActions({ sd }: { sd: StorageDomain }) {
  const { track } = useActivity();
  const [showHosts, setShowHosts] = useState(false);
  return (
    <span className="row-actions">
      <button type="button" className="button" onClick={() => setShowHosts(true)}>
        Hosts
      </button>
      {showHosts && <StorageHostsDialog sd={sd} onClose={() => setShowHosts(false)} />}
      <PermissionsButton objectType="storage_domain" objectId={sd.id} objectName={sd.name} />
      {STEPS.filter((s) => s.from.includes(sd.status)).map((s) => (
        <button
          key={s.step}
          type="button"
          className="button"
          onClick={() =>
            void track(`${s.label} ${sd.name}`, () =>
              apiSend('POST', `/storage-domains/${sd.id}/${s.step}`),
            ).catch(() => undefined)
          }
        >
          {s.label}
        </button>
      ))}
    </span>
  );
}

export function StorageDomainList() {
  const { filter, set } = useListParams(['q', 'datacenterId', 'type', 'status', 'sort']);
  const list = usePagedList<StorageDomain>('storage-domains', filter);
  const dcs = useDatacenterNames();
  const columns: Column<StorageDomain>[] = [
    nameColumn(),
    { key: 'type', header: 'Type', width: '80px', sort: 'type', render: (s) => s.type },
    statusColumn('120px'),
    parentColumn('Datacenter', dcs, (s) => s.datacenterId),
    {
      key: 'conn',
      header: 'Connection',
      width: 'minmax(160px, 2fr)',
      render: (s) => <code className="ellipsis">{connectionText(s)}</code>,
    },
    {
      key: 'path',
      header: 'Path',
      width: 'minmax(140px, 1fr)',
      render: (s) => <code className="ellipsis">{s.path}</code>,
    },
    {
      key: 'actions',
      header: 'Actions',
      width: 'minmax(160px, 1fr)',
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
    />
  );
}
