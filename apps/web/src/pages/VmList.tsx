import type { Vm, VmStatus } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useClusterNames, useHostNames } from '../api/names';
import { fmtMib } from '../components/format';
import { findCached } from '../live/patchCache';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { descriptionColumn, parentColumn, statusColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import type { Column, Selection } from '../lists/VirtualTable';
import { BulkDialog } from '../vms/BulkDialog';
import { ACTION_ORDER, splitForBulk, VM_ACTIONS, type VmActionId } from '../vms/vmActions';

export const VM_STATUSES: VmStatus[] = [
  'down',
  'starting',
  'up',
  'paused',
  'powering_down',
  'reboot_in_progress',
  'migrating_from',
  'migrating_to',
  'suspended',
  'crashed',
  'unknown',
];
const BULK: VmActionId[] = ACTION_ORDER.filter((a) => VM_ACTIONS[a].bulk);

export function VmList() {
  const { filter, set } = useListParams(['q', 'status', 'clusterId', 'hostId', 'datacenterId', 'sort']);
  const list = usePagedList<Vm>('vms', filter);
  const hosts = useHostNames();
  const clusters = useClusterNames();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const qc = useQueryClient();

  // A new filter clears the selection (rows no longer shown must not be acted on silently).
  const filterKey = JSON.stringify(filter);
  useEffect(() => setSelected(new Set()), [filterKey]);

  const selection: Selection = useMemo(
    () => ({
      selected,
      toggle: (id) =>
        setSelected((s) => {
          const n = new Set(s);
          if (n.has(id)) n.delete(id);
          else n.add(id);
          return n;
        }),
      setMany: (ids, on) =>
        setSelected((s) => {
          const n = new Set(s);
          for (const id of ids)
            if (on) n.add(id);
            else n.delete(id);
          return n;
        }),
    }),
    [selected],
  );

  const selectedVms = [...selected].map((id) => findCached<Vm>(qc, 'vms', id)).filter((v): v is Vm => !!v);

  const [bulkAction, setBulkAction] = useState<VmActionId | null>(null);

  const columns: Column<Vm>[] = [
    {
      key: 'name',
      header: 'Name',
      width: 'minmax(160px, 2fr)',
      sort: 'name',
      render: (v) => (
        <Link to={`/vms/${v.id}`} className="strong">
          {v.name}
          {v.isTemplate && <span className="tag">template</span>}
        </Link>
      ),
    },
    statusColumn(),
    parentColumn('Host', hosts, (v) => v.hostId, 'hosts'),
    { ...parentColumn('Cluster', clusters, (v) => v.clusterId, 'clusters'), hideBelow: 780 },
    { key: 'vcpus', header: 'vCPUs', width: '80px', sort: 'vcpus', render: (v) => v.vcpus },
    {
      key: 'memory',
      header: 'Memory',
      width: '100px',
      sort: 'memoryMib',
      render: (v) => fmtMib(v.memoryMib),
    },
    descriptionColumn('minmax(100px, 2fr)'),
  ];

  return (
    <ListPage
      title="Virtual machines"
      noun="VMs"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search VMs by name"
      selects={[
        { param: 'status', label: 'Status', options: VM_STATUSES },
        { param: 'clusterId', label: 'Cluster', options: [...clusters] },
      ]}
      chips={[{ param: 'hostId', label: (id) => `on host ${hosts.get(id) ?? id}` }]}
      defaultSort="name:asc"
      actions={
        <Link className="button primary" to="/vms/new">
          New VM
        </Link>
      }
      toolbar={
        <div className="bulkbar" role="toolbar" aria-label="Bulk actions">
          <span>{selected.size ? `${selected.size} selected` : 'Select VMs for bulk actions'}</span>
          {BULK.map((a) => {
            const n = splitForBulk(selectedVms, a).apply.length;
            return (
              <button
                key={a}
                type="button"
                className={`button small${a === 'delete' || a === 'poweroff' ? ' danger' : ''}`}
                disabled={n === 0}
                onClick={() => setBulkAction(a)}
              >
                {VM_ACTIONS[a].label}
                {n > 0 && selected.size > 1 ? ` (${n})` : ''}
              </button>
            );
          })}
          {selected.size > 0 && (
            <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          )}
        </div>
      }
      selection={selection}
      rowName={(v) => v.name}
    >
      {bulkAction && <BulkDialog vms={selectedVms} action={bulkAction} onClose={() => setBulkAction(null)} />}
    </ListPage>
  );
}
