import type { Host, HostStatus, Vm } from '@kelpie/shared-types';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCount, useDetail } from '../api/hooks';
import { MaintenancePlanView } from '../hosts/MaintenancePlanView';
import { BlockedVmChoices } from '../hosts/BlockedVmChoices';
import { useClusterNames } from '../api/names';
import { useHostAction, type HostAction } from '../hosts/hostActionsApi';
import { ErrorBox } from '../components/ErrorBox';
import { fmtAgo, fmtKib, fmtMib, humanize } from '../components/format';
import { systemReason } from '../admin/access';
import { GuardedButton } from '../components/GuardedButton';
import { PermissionsPanel } from '../admin/PermissionsPanel';
import { useSystemPermissions } from '../auth/AuthGate';
import { nameColumn, parentColumn, statusColumn } from '../lists/columns';
import { ListPage } from '../lists/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { usePagedList } from '../lists/usePagedList';
import { useListParams } from '../lists/useListParams';
import { VirtualTable, type Column } from '../lists/VirtualTable';
import { HostCharts } from '../charts/StatsCharts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { EnrollDialog } from '../hosts/EnrollDialog';
import { EvacuationPanel } from '../hosts/EvacuationPanel';
import { HostNicsPanel } from '../hosts/HostNicsPanel';
import { PowerManagementPanel } from '../hosts/PowerManagementPanel';
import { Props } from '../components/Props';
import { ScheduleDialog } from '../schedules/ScheduleDialog';

export const HOST_STATUSES: HostStatus[] = [
  'installing',
  'up',
  'non_responsive',
  'non_operational',
  'preparing_for_maintenance',
  'maintenance',
  'error',
];

export function memUse(h: Host): number | undefined {
  if (!h.load || !h.load.memTotalKiB) return undefined;
  return (h.load.memTotalKiB - h.load.memFreeKiB) / h.load.memTotalKiB;
}

export function HostList() {
  const { filter, set } = useListParams(['q', 'status', 'clusterId', 'datacenterId', 'sort']);
  const list = usePagedList<Host>('hosts', filter);
  const clusters = useClusterNames();
  const [adding, setAdding] = useState(false);
  const addReason = systemReason(useSystemPermissions(), 'host.manage', 'add hosts');
  const columns: Column<Host>[] = [
    nameColumn({ width: 'minmax(140px, 2fr)', to: (h) => `/hosts/${h.id}` }),
    statusColumn('190px'),
    {
      key: 'address',
      header: 'Address',
      width: 'minmax(120px, 1fr)',
      sort: 'address',
      render: (h) => h.address,
    },
    parentColumn('Cluster', clusters, (h) => h.clusterId, 'clusters'),
    { key: 'cpu', header: 'CPUs', width: '70px', render: (h) => h.capabilities?.cpu.count ?? '–' },
    {
      key: 'virt',
      hideBelow: 800,
      header: 'Virt.',
      width: '60px',
      render: (h) => h.capabilities?.virtualization.toUpperCase() ?? '–',
    },
    {
      key: 'load',
      header: 'Load / memory',
      width: '140px',
      render: (h) => {
        const m = memUse(h);
        return h.load
          ? `${h.load.load1.toFixed(2)} · ${m === undefined ? '–' : `${Math.round(m * 100)}%`}`
          : '–';
      },
    },
    {
      key: 'hb',
      hideBelow: 900,
      header: 'Heartbeat',
      width: '110px',
      sort: 'lastHeartbeatAt',
      render: (h) => fmtAgo(h.lastHeartbeatAt),
    },
  ];
  return (
    <ListPage
      title="Hosts"
      noun="hosts"
      rows={list}
      columns={columns}
      filter={filter}
      set={set}
      search="Search hosts by name"
      selects={[{ param: 'status', label: 'Status', options: HOST_STATUSES }]}
      defaultSort="name:asc"
      actions={
        <GuardedButton reason={addReason} small={false} showReason onClick={() => setAdding(true)}>
          Add host
        </GuardedButton>
      }
    >
      {adding && <EnrollDialog mode="add" onClose={() => setAdding(false)} />}
    </ListPage>
  );
}

const CAN_MAINTAIN: HostStatus[] = ['up', 'preparing_for_maintenance'];
const CAN_ACTIVATE: HostStatus[] = ['maintenance', 'preparing_for_maintenance'];

export function HostDetail() {
  const { id } = useParams();
  const { data: host, error, isLoading } = useDetail<Host>('hosts', id);
  const clusters = useClusterNames();
  const hostAction = useHostAction(host);
  const vms = usePagedList<Vm>('vms', { hostId: id });
  const stopped = useCount('vms', { hostId: id, status: 'down' });
  const [asking, setAsking] = useState(false);
  const [confirmingReboot, setConfirmingReboot] = useState(false);
  const [reinstalling, setReinstalling] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  if (isLoading) return <p className="page">Loading host…</p>;
  if (error || !host)
    return (
      <section className="page">
        <h1>Host</h1>
        <ErrorBox error={error ?? new Error('Host not found')} />
        <Link to="/hosts">Back to the host list</Link>
      </section>
    );
  const caps = host.capabilities;
  const send = (what: HostAction) => hostAction.mutateAsync(what);
  const m = memUse(host);
  const vmColumns: Column<Vm>[] = [
    {
      key: 'name',
      header: 'Name',
      width: '2fr',
      render: (v) => <Link to={`/vms/${v.id}`}>{v.name}</Link>,
    },
    { key: 'status', header: 'Status', width: '150px', render: (v) => <StatusBadge status={v.status} /> },
    { key: 'cpu', header: 'vCPUs', width: '80px', render: (v) => v.vcpus },
    { key: 'mem', header: 'Memory', width: '100px', render: (v) => fmtMib(v.memoryMib) },
  ];
  return (
    <section className="page" aria-labelledby="host-title">
      <header className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/hosts">Hosts</Link> /
          </div>
          <h1 id="host-title">
            {host.name} <StatusBadge status={host.status} />
          </h1>
        </div>
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={!CAN_MAINTAIN.includes(host.status)}
            onClick={() => setAsking(true)}
          >
            Maintenance
          </button>
          <button type="button" className="button" onClick={() => setScheduling(true)}>
            Schedule maintenance…
          </button>
          <button
            type="button"
            className="button"
            disabled={!CAN_ACTIVATE.includes(host.status) || hostAction.isPending}
            onClick={() => void send('activate').catch(() => undefined)}
          >
            Activate
          </button>
          <button
            type="button"
            className="button"
            disabled={host.status === 'preparing_for_maintenance'}
            onClick={() => setReinstalling(true)}
          >
            Reinstall
          </button>
          <button
            type="button"
            className="button"
            disabled={host.status !== 'non_responsive'}
            onClick={() => setConfirmingReboot(true)}
          >
            Confirm rebooted
          </button>
        </div>
      </header>
      {scheduling && (
        <ScheduleDialog
          objectName={host.name}
          target={{ hostId: host.id }}
          actions={['host.maintenance']}
          onClose={() => setScheduling(false)}
        />
      )}
      {reinstalling && <EnrollDialog mode="reinstall" host={host} onClose={() => setReinstalling(false)} />}
      {asking && (
        <ConfirmDialog
          title={`Put ${host.name} into maintenance?`}
          message={
            <MaintenancePlanView
              hostId={host.id}
              hostName={host.name}
              total={vms.total}
              stopped={stopped.data}
            />
          }
          confirmLabel="Enter maintenance"
          onConfirm={() => send('maintenance')}
          onClose={() => setAsking(false)}
        />
      )}
      {confirmingReboot && (
        <ConfirmDialog
          title={`Confirm ${host.name} has been rebooted?`}
          message={
            <p>
              Only if {host.name} is really off or was rebooted: its VMs are then taken for stopped and the
              highly available ones are started on other hosts. If it still runs them, they will run twice and
              their disks can be corrupted.
            </p>
          }
          confirmLabel="Confirm host has been rebooted"
          onConfirm={() => send('confirm-rebooted')}
          onClose={() => setConfirmingReboot(false)}
        />
      )}
      {host.statusReason && (
        <p className="notice" role="status">
          {humanize(host.status)}: {host.statusReason}
        </p>
      )}
      <EvacuationPanel hostId={host.id} show="running" />
      {host.status === 'preparing_for_maintenance' && <BlockedVmChoices host={host} />}
      <div className="detail-grid">
        <section className="panel" aria-labelledby="host-general">
          <h2 id="host-general">General</h2>
          <Props
            rows={[
              ['Status', <StatusBadge key="s" status={host.status} title={host.statusReason} />],
              ['Reason', host.statusReason ?? '–'],
              ['Address', host.address],
              ['libvirt URI', <code key="u">{host.libvirtUri}</code>],
              [
                'Cluster',
                <Link key="c" to={`/clusters/${host.clusterId}`}>
                  {clusters.get(host.clusterId) ?? '…'}
                </Link>,
              ],
              ['Last heartbeat', fmtAgo(host.lastHeartbeatAt)],
              [
                'SSH host key',
                host.sshHostKeyFingerprint ? (
                  <code key="k">{host.sshHostKeyFingerprint}</code>
                ) : (
                  'not enrolled over SSH'
                ),
              ],
              ['Agent protocol', host.agentProtocolVersion ?? '–'],
              ['Load (1 min)', host.load ? host.load.load1.toFixed(2) : '–'],
              [
                'Memory in use',
                host.load && m !== undefined
                  ? `${Math.round(m * 100)}% of ${fmtKib(host.load.memTotalKiB)}`
                  : '–',
              ],
            ]}
          />
        </section>
        <section className="panel" aria-labelledby="host-caps">
          <h2 id="host-caps">Capabilities</h2>
          {!caps ? (
            <p className="muted">Not reported yet (the agent reports them when it connects).</p>
          ) : (
            <Props
              rows={[
                [
                  'Virtualization',
                  <span key="v" className={caps.virtualization === 'kvm' ? 'tag ok' : 'tag warn'}>
                    {caps.virtualization === 'kvm' ? 'KVM (hardware)' : 'TCG (emulation)'}
                  </span>,
                ],
                ...(caps.virtualizationReason
                  ? [['Why', caps.virtualizationReason] as [string, string]]
                  : []),
                ['CPU', `${caps.cpu.vendor} ${caps.cpu.model} (${caps.cpu.arch})`],
                [
                  'Topology',
                  `${caps.cpu.count} CPUs: ${caps.cpu.sockets} sockets × ${caps.cpu.cores} cores × ${caps.cpu.threads} threads`,
                ],
                ['Memory', fmtKib(caps.memoryKiB)],
                ['NUMA cells', caps.numaCells.length],
                ['libvirt', caps.libvirtVersion],
                ['QEMU', caps.qemuVersion],
                ['Hostname', caps.hostname],
              ]}
            />
          )}
        </section>
        <HostCharts hostId={host.id} />
      </div>
      <EvacuationPanel hostId={host.id} show="finished" />
      <HostNicsPanel hostId={host.id} host={host} />
      <PowerManagementPanel host={host} />
      <section className="panel list-panel" aria-labelledby="host-vms">
        <h2 id="host-vms">VMs on this host</h2>
        <VirtualTable list={vms} columns={vmColumns} label={`VMs on ${host.name}`} noun="VMs" />
      </section>
      <PermissionsPanel objectType="host" objectId={host.id} objectName={host.name} />
    </section>
  );
}
