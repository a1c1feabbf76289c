import type { Cluster, Host, HostNetworkView } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDetail } from '../api/hooks';
import { api, as, read } from '../api/client';
import { keys } from '../api/resources';
import { fmtAgo, humanize } from '../components/format';
import { HostNetworkSetupDialog } from './HostNetworkSetupDialog';

type ViewBridge = HostNetworkView['bridges'][number];

/** The networks a NIC carries: the Linux bridge it is a port of, or the fake bridges (one per VLAN
 * network) of its Open vSwitch bridge. */
export function networksOnNic(view: HostNetworkView, nicBridge: string | null): ViewBridge[] {
  if (!nicBridge) return [];
  return view.bridges.filter(
    (b) =>
      (b.name === nicBridge && b.switchType !== 'ovs') || (b.parent === nicBridge && b.switchType === 'ovs'),
  );
}

function networkLabel(b: ViewBridge): string {
  const name = b.networkName ?? `bridge ${b.name} (no network)`;
  return b.vlanId ? `${name} · VLAN ${b.vlanId}` : name;
}

/** Host "Network interfaces": each NIC as its agent last reported it, the bond it is a member of,
 * and which networks it carries (through a Linux bridge or Open vSwitch), with the outcome of the
 * last network setup. A plain table sized to its rows (a host has a handful of NICs), not a
 * fixed-height virtual list panel. */
export function HostNicsPanel({
  hostId,
  host,
}: {
  hostId: string;
  /** Given: the panel offers the network setup dialog (the host's cluster tells the switch type). */
  host?: Pick<Host, 'name' | 'clusterId'>;
}) {
  const [setup, setSetup] = useState(false);
  const cluster = useDetail<Cluster>('clusters', host?.clusterId);
  const { data: view, error } = useQuery({
    queryKey: [...keys.detail('hosts', hostId), 'nics'],
    queryFn: () =>
      read(api.GET('/api/v1/hosts/{id}/nics', { params: { path: { id: hostId } } }), as<HostNetworkView>()),
    refetchInterval: 15_000,
  });
  return (
    <section className="panel" aria-labelledby="host-nics">
      <h2 id="host-nics">Network interfaces</h2>
      {error && <p className="notice">Could not read the host&apos;s interfaces: {error.message}</p>}
      {view && !view.reportedAt && (
        <p className="muted">Not reported yet (the agent reports them when it connects).</p>
      )}
      {view?.reportedAt && (
        <table className="table" aria-label="Network interfaces">
          <thead>
            <tr>
              <th>NIC</th>
              <th>Link</th>
              <th>MTU</th>
              <th>Addresses</th>
              <th>Switch</th>
              <th>Networks</th>
            </tr>
          </thead>
          <tbody>
            {view.nics.map((nic) => {
              const bridge = view.bridges.find((b) => b.name === nic.bridge);
              const nets = networksOnNic(view, nic.bridge);
              const bond = (view.bonds ?? []).find((b) => b.members.includes(nic.name));
              return (
                <tr key={nic.name}>
                  <td>
                    <strong>{nic.name}</strong> <span className="muted">{nic.mac ?? ''}</span>
                  </td>
                  <td>
                    {nic.carrier ? 'up' : 'no link'}
                    {nic.speedMbps ? ` · ${nic.speedMbps} Mb/s` : ''}
                  </td>
                  <td>{nic.mtu}</td>
                  <td>{nic.addresses.join(', ') || '–'}</td>
                  <td>
                    {!bridge
                      ? '–'
                      : bridge.switchType === 'ovs'
                        ? `Open vSwitch ${bridge.name}`
                        : `Linux bridge ${bridge.name}`}
                    {bond ? ` · bond ${bond.name}${bond.mode ? ` (${bond.mode})` : ''}` : ''}
                  </td>
                  <td>{nets.length ? nets.map(networkLabel).join(', ') : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {view?.warnings.map((w) => (
        <p key={w} className="notice" role="status">
          {w}
        </p>
      ))}
      {host && view?.reportedAt && (
        <p>
          <button type="button" onClick={() => setSetup(true)}>
            Set up networks…
          </button>
        </p>
      )}
      {setup && host && view && (
        <HostNetworkSetupDialog
          hostId={hostId}
          hostName={host.name}
          switchType={cluster.data?.switchType ?? 'linux_bridge'}
          view={view}
          onClose={() => setSetup(false)}
        />
      )}
      {view?.lastSetup && (
        <p className="muted">
          Last network setup {fmtAgo(view.lastSetup.at)}: {humanize(view.lastSetup.outcome)}
          {view.lastSetup.reason ? ` (${view.lastSetup.reason})` : ''}
        </p>
      )}
    </section>
  );
}
