import type { AuditEvent, Disk, Nic, Snapshot, Task, Vm } from '@kelpie/shared-types';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PermissionsPanel } from '../admin/PermissionsPanel';
import { usePage, useDetail } from '../api/hooks';
import {
  useClusterNames,
  useDatacenterNames,
  useHostNames,
  useNetworkNames,
  useStorageDomainNames,
} from '../api/names';
import { ErrorBox } from '../components/ErrorBox';
import { fmtBytes, fmtMib, fmtTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { EventRows, TaskRows } from '../activity/ActivityRows';
import { Props } from '../components/Props';
import { VmCharts } from '../charts/StatsCharts';
import { VmActionMenu, VmQuickActions } from '../vms/VmActionMenu';
import { RunningMigration } from '../vms/RunningMigration';
import { GuardedButton } from '../components/GuardedButton';
import { missingPermission, usePermissions } from '../auth/usePermissions';
import { fieldLabel, valueLabel } from '../text/humanize';
import { EditHardwareDialog } from '../vms/EditHardwareDialog';
import { bootText, cdromText } from '../vms/bootText';
import { CdromDialog } from '../vms/CdromDialog';
import { useIsoLibrary } from '../storage/isoLibrary';
import { VmHaPanel } from '../vms/VmHaPanel';
import { AddDiskDialog, AddNicDialog } from '../vms/AddDeviceDialogs';
import { RemoveDeviceButton, SnapshotActionButton } from '../vms/VmDeviceActions';
import { machineText, watchdogText } from '../vms/hardwareForm';

export function VmDetail() {
  const { id } = useParams();
  const { data: vm, error, isLoading } = useDetail<Vm>('vms', id);
  const hosts = useHostNames();
  const clusters = useClusterNames();
  const dcs = useDatacenterNames();
  const held = usePermissions('vm', id);
  const [editing, setEditing] = useState(false);
  const [cdrom, setCdrom] = useState(false);
  // A library ISO is a volume named by its id on the hosts: shown by the name it was uploaded as.
  const { isos } = useIsoLibrary(vm?.datacenterId, !!vm?.cdromIsoPath);
  const isoName = isos.find((i) => i.path && i.path === vm?.cdromIsoPath)?.name;
  if (isLoading) return <p className="page">Loading VM…</p>;
  if (error || !vm)
    return (
      <section className="page">
        <h1>VM</h1>
        <ErrorBox error={error ?? new Error('VM not found')} />
        <Link to="/vms">Back to the VM list</Link>
      </section>
    );
  return (
    <section className="page" aria-labelledby="vm-title">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/vms">VMs</Link> /
          </div>
          <h1 id="vm-title">
            {vm.name} <StatusBadge status={vm.status} title={vm.statusReason} />
            {vm.pendingRestart && (
              <span className="tag warn" title={pendingText(vm)}>
                pending restart
              </span>
            )}
          </h1>
        </div>
        <div className="actions">
          <VmQuickActions vm={vm} />
          {!vm.isTemplate && (
            <GuardedButton
              reason={missingPermission(held, 'vm.edit')}
              small={false}
              onClick={() => setEditing(true)}
            >
              Edit
            </GuardedButton>
          )}
          <VmActionMenu vm={vm} />
        </div>
      </header>
      {vm.statusReason && needsAttention(vm) && <p className="notice">{vm.statusReason}</p>}
      {cdrom && <CdromDialog vm={vm} datacenterId={vm.datacenterId} onClose={() => setCdrom(false)} />}
      {editing && <EditHardwareDialog vm={vm} onClose={() => setEditing(false)} />}
      {vm.pendingRestart && <p className="notice">{pendingText(vm)}</p>}
      <div className="detail-grid">
        <section className="panel" aria-labelledby="vm-general">
          <h2 id="vm-general">General</h2>
          <Props
            rows={[
              ['Status', <StatusBadge key="s" status={vm.status} />],
              ['Desired status', valueLabel(vm.desiredStatus)],
              [
                'Host',
                vm.hostId ? <Link to={`/hosts/${vm.hostId}`}>{hosts.get(vm.hostId) ?? vm.hostId}</Link> : '–',
              ],
              [
                'Cluster',
                <Link key="c" to={`/clusters/${vm.clusterId}`}>
                  {clusters.get(vm.clusterId) ?? vm.clusterId}
                </Link>,
              ],
              [
                'Datacenter',
                <Link key="d" to={`/datacenters/${vm.datacenterId}`}>
                  {dcs.get(vm.datacenterId) ?? vm.datacenterId}
                </Link>,
              ],
              ['Description', vm.description || '–'],
              ['Created', `${fmtTime(vm.createdAt)} by ${vm.createdBy}`],
              ['ID', <code key="id">{vm.id}</code>],
            ]}
          />
        </section>
        <section className="panel" aria-labelledby="vm-specs">
          <h2 id="vm-specs">Specs</h2>
          <Props
            rows={[
              ['vCPUs', vm.vcpus],
              ['Memory', fmtMib(vm.memoryMib)],
              ['Max memory', fmtMib(vm.maxMemoryMib)],
              ['OS type', vm.osType],
              ['Machine', machineText(vm)],
              ['Watchdog', watchdogText(vm)],
              ['Boots from', isoName && vm.boot?.kind === 'cdrom' ? `CD-ROM (${isoName})` : bootText(vm)],
              ...(vm.boot?.kind === 'kernel' && vm.boot.cmdline
                ? [
                    ['Kernel command line', <code key="cmdline">{vm.boot.cmdline}</code>] as [
                      string,
                      ReactNode,
                    ],
                  ]
                : []),
              [
                'CD-ROM',
                <span key="cdrom">
                  <span title={vm.cdromIsoPath ?? undefined}>{isoName ?? cdromText(vm)}</span>{' '}
                  {!vm.isTemplate && (
                    <GuardedButton
                      reason={missingPermission(held, 'vm.edit')}
                      label={`Change the CD-ROM of ${vm.name}`}
                      onClick={() => setCdrom(true)}
                    >
                      Change…
                    </GuardedButton>
                  )}
                </span>,
              ],
              ['Console', vm.graphicsVnc ? 'VNC' : 'none'],
              ['Highly available', vm.highlyAvailable ? `yes (restart priority ${vm.haPriority})` : 'no'],
              ['Template', vm.isTemplate ? 'yes' : 'no'],
              ['External', vm.external ? 'yes (found on a host)' : 'no'],
            ]}
          />
        </section>
        {!vm.isTemplate && <VmHaPanel vm={vm} />}
        <VmDisks vm={vm} reason={missingPermission(held, 'vm.edit')} />
        <VmNics vm={vm} reason={missingPermission(held, 'vm.edit')} />
      </div>
      {vm.status === 'migrating_from' && <RunningMigration vm={vm} />}
      <VmCharts vmId={vm.id} vcpus={vm.vcpus} memoryMib={vm.memoryMib} />
      <div className="grid-2">
        <VmSnapshots vm={vm} reason={missingPermission(held, 'vm.snapshot')} />
        <VmTasks vmId={vm.id} />
      </div>
      <VmEvents vmId={vm.id} />
      <PermissionsPanel objectType="vm" objectId={vm.id} objectName={vm.name} />
    </section>
  );
}

/** The reason banner is for what needs a look (a crash, a state nobody asked for), not for ordinary
 * reasons such as "booted"; the status badge's title still carries every reason. */
function needsAttention(vm: Vm): boolean {
  return ['crashed', 'unknown', 'paused', 'suspended'].includes(vm.status) || vm.status !== vm.desiredStatus;
}

/** Changes waiting for the VM's next start, in words. */
function pendingText(vm: Vm): string {
  const fields = vm.pendingRestart?.fields.map(fieldLabel).join(', ') ?? '';
  return `Changes to ${fields} take effect at the next start of ${vm.name}.`;
}

/** A panel's heading with its count and an "Add…" action. */
function DevicePanelHead({
  id,
  title,
  total,
  add,
  reason,
  onAdd,
}: {
  id: string;
  title: string;
  total: number | undefined;
  add: string;
  reason: string | null;
  onAdd: () => void;
}) {
  return (
    <div className="panel-head">
      <h2 id={id}>
        {title} {total !== undefined && <span className="muted">({total})</span>}
      </h2>
      <GuardedButton reason={reason} onClick={onAdd}>
        {add}
      </GuardedButton>
    </div>
  );
}

function VmDisks({ vm, reason }: { vm: Vm; reason: string | null }) {
  const { data, error } = usePage<Disk>('disks', { vmId: vm.id }, 100);
  const sds = useStorageDomainNames();
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel" aria-labelledby="vm-disks">
      <DevicePanelHead
        id="vm-disks"
        title="Disks"
        total={data?.total}
        add="Add disk"
        reason={reason}
        onAdd={() => setAdding(true)}
      />
      {adding && <AddDiskDialog vm={vm} onClose={() => setAdding(false)} />}
      <ErrorBox error={error} />
      {data?.items.length === 0 && <p className="muted">No disks.</p>}
      {!!data?.items.length && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
              <th>Allocated</th>
              <th>Bus</th>
              <th>Format</th>
              <th>Storage</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((d) => (
              <tr key={d.id}>
                <td>
                  {d.name}
                  {d.bootable && <span className="tag">boot</span>}
                </td>
                <td>{fmtBytes(d.virtualSizeBytes)}</td>
                <td>{fmtBytes(d.allocationBytes)}</td>
                <td>
                  {d.bus}
                  {d.targetDev ? ` (${d.targetDev})` : ''}
                </td>
                <td>{d.format}</td>
                <td>{sds.get(d.storageDomainId) ?? '…'}</td>
                <td>
                  <RemoveDeviceButton vm={vm} kind="disks" device={d} reason={reason} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function VmNics({ vm, reason }: { vm: Vm; reason: string | null }) {
  const { data, error } = usePage<Nic>('nics', { vmId: vm.id }, 100);
  const nets = useNetworkNames();
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel" aria-labelledby="vm-nics">
      <DevicePanelHead
        id="vm-nics"
        title="Network interfaces"
        total={data?.total}
        add="Add NIC"
        reason={reason}
        onAdd={() => setAdding(true)}
      />
      {adding && <AddNicDialog vm={vm} onClose={() => setAdding(false)} />}
      <ErrorBox error={error} />
      {data?.items.length === 0 && <p className="muted">No NICs.</p>}
      {!!data?.items.length && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>MAC</th>
              <th>Model</th>
              <th>Network</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((n) => (
              <tr key={n.id}>
                <td>{n.name}</td>
                <td>
                  <code>{n.mac}</code>
                </td>
                <td>{n.model}</td>
                <td>{nets.get(n.networkId) ?? '…'}</td>
                <td>
                  <RemoveDeviceButton vm={vm} kind="nics" device={n} reason={reason} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Snapshots as the tree their parent links make (a revert starts a new branch). */
export function snapshotTree(
  items: Snapshot[],
): { snap: Snapshot; children: ReturnType<typeof snapshotTree> }[] {
  const ids = new Set(items.map((s) => s.id));
  const build = (parent: string | null): ReturnType<typeof snapshotTree> =>
    items
      .filter((s) => (parent === null ? s.parentId === null || !ids.has(s.parentId) : s.parentId === parent))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((snap) => ({ snap, children: build(snap.id) }));
  return build(null);
}

function SnapshotNodes({
  nodes,
  level,
  vm,
  reason,
}: {
  nodes: ReturnType<typeof snapshotTree>;
  level: number;
  vm: Vm;
  reason: string | null;
}) {
  return (
    <ul
      role={level === 1 ? 'tree' : 'group'}
      aria-label={level === 1 ? 'Snapshots' : undefined}
      className="snap-tree"
    >
      {nodes.map(({ snap, children }) => (
        <li
          key={snap.id}
          role="treeitem"
          aria-level={level}
          aria-expanded={children.length ? true : undefined}
        >
          <span className="strong">{snap.name}</span>{' '}
          <span className="muted small">
            {fmtTime(snap.createdAt)} · {snap.type}
            {snap.withMemory ? ' · with memory' : ''}
          </span>{' '}
          <SnapshotActionButton vm={vm} snap={snap} action="revert" reason={reason} />{' '}
          <SnapshotActionButton vm={vm} snap={snap} action="delete" reason={reason} />
          {snap.description && <div className="muted small">{snap.description}</div>}
          {children.length > 0 && (
            <SnapshotNodes nodes={children} level={level + 1} vm={vm} reason={reason} />
          )}
        </li>
      ))}
    </ul>
  );
}

function VmSnapshots({ vm, reason }: { vm: Vm; reason: string | null }) {
  const { data, error } = usePage<Snapshot>('snapshots', { vmId: vm.id }, 500);
  return (
    <section className="panel" aria-labelledby="vm-snaps">
      <h2 id="vm-snaps">Snapshots {data && <span className="muted">({data.total})</span>}</h2>
      <ErrorBox error={error} />
      {data?.items.length === 0 && <p className="muted">No snapshots.</p>}
      {!!data?.items.length && (
        <SnapshotNodes nodes={snapshotTree(data.items)} level={1} vm={vm} reason={reason} />
      )}
    </section>
  );
}

function VmTasks({ vmId }: { vmId: string }) {
  const { data, error } = usePage<Task>('tasks', { objectId: vmId }, 10);
  return (
    <section className="panel" aria-labelledby="vm-tasks">
      <h2 id="vm-tasks">Recent tasks</h2>
      <ErrorBox error={error} />
      {data && <TaskRows tasks={data.items} />}
    </section>
  );
}

function VmEvents({ vmId }: { vmId: string }) {
  const { data, error } = usePage<AuditEvent>('events', { objectId: vmId }, 15);
  return (
    <section className="panel" aria-labelledby="vm-events">
      <h2 id="vm-events">Recent events</h2>
      <ErrorBox error={error} />
      {data && <EventRows events={data.items} />}
    </section>
  );
}
