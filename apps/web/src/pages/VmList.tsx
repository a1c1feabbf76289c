import type { Vm, VmStatus } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useClusterNames, useHostNames } from '../api/names';
import { fmtMib, humanize } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { findCached } from '../live/patchCache';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { VirtualTable, type Column, type Selection } from '../lists/VirtualTable';
import { SearchInput } from '../components/SearchInput';
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
    {
      key: 'status',
      header: 'Status',
      width: '150px',
      sort: 'status',
      render: (v) => <StatusBadge status={v.status} title={v.statusReason} />,
    },
    {
      key: 'host',
      header: 'Host',
      width: 'minmax(100px, 1fr)',
      render: (v) => (v.hostId ? <Link to={`/hosts/${v.hostId}`}>{hosts.get(v.hostId) ?? '…'}</Link> : '–'),
    },
    {
      key: 'cluster',
      header: 'Cluster',
      width: 'minmax(100px, 1fr)',
      render: (v) => <Link to={`/clusters/${v.clusterId}`}>{clusters.get(v.clusterId) ?? '…'}</Link>,
    },
    { key: 'vcpus', header: 'vCPUs', width: '80px', sort: 'vcpus', render: (v) => v.vcpus },
    {
      key: 'memory',
      header: 'Memory',
      width: '100px',
      sort: 'memoryMib',
      render: (v) => fmtMib(v.memoryMib),
    },
    {
      key: 'desc',
      header: 'Description',
      width: 'minmax(100px, 2fr)',
      render: (v) => <span className="muted ellipsis">{v.description}</span>,
    },
  ];

  return (
    <section className="page list-page" aria-labelledby="vms-title">
      <header className="page-head">
        <h1 id="vms-title">Virtual machines</h1>
        <Link className="button primary" to="/vms/new">
          New VM
        </Link>
      </header>
      <div className="filters" role="search" aria-label="Filter VMs">
        <SearchInput
          label="Search VMs by name"
          value={filter.q as string | undefined}
          onChange={(q) => set({ q })}
        />
        <label>
          Status{' '}
          <select value={(filter.status as string) ?? ''} onChange={(e) => set({ status: e.target.value })}>
            <option value="">any</option>
            {VM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Cluster{' '}
          <select
            value={(filter.clusterId as string) ?? ''}
            onChange={(e) => set({ clusterId: e.target.value })}
          >
            <option value="">any</option>
            {[...clusters].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {filter.hostId && (
          <button type="button" className="chip" onClick={() => set({ hostId: undefined })}>
            on host {hosts.get(filter.hostId as string) ?? filter.hostId} ✕
          </button>
        )}
      </div>
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
      <VirtualTable
        list={list}
        columns={columns}
        label="Virtual machines"
        noun="VMs"
        sort={filter.sort as string | undefined}
        defaultSort="name:asc"
        onSort={(sort) => set({ sort })}
        selection={selection}
        rowName={(v) => v.name}
      />
      {bulkAction && <BulkDialog vms={selectedVms} action={bulkAction} onClose={() => setBulkAction(null)} />}
    </section>
  );
}
