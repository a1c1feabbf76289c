import type { NetworkAttachmentSpec } from '@kelpie/shared-types';
import type { Link, LinkSnapshot } from './links';
import { planOvsApply } from './ovs-plan';
import type { OvsBridge } from './ovs-state';
import { SetupRefused } from './setup-plan';
import { attachmentFixture, linkFixture } from './network-fixtures';

const link = (o: Partial<Link> & { name: string }): Link => linkFixture(o.name, { kind: 'veth', ...o });
const net = (o: Partial<NetworkAttachmentSpec>): NetworkAttachmentSpec =>
  attachmentFixture({ bridge: 'vmnet', switchType: 'ovs', ...o });
const snap = (...links: Link[]): LinkSnapshot => ({ links, routes: [] });
const host = snap(link({ name: 'eth0', master: 'br0' }), link({ name: 'eth1', up: false }));
const v10 = net({ network: 'v10', bridge: 'vmnet10', vlanId: 10 });
const v20 = net({ network: 'v20', bridge: 'vmnet20', vlanId: 20 });
const opts = { datapathType: 'netdev' };
const line = (s: { tool: string; args: string[] }) => `${s.tool} ${s.args.join(' ')}`;

describe('planOvsApply', () => {
  it('makes the NIC its OVS bridge (datapath as configured) and each network a fake bridge on its VLAN', () => {
    const steps = planOvsApply([v10, net({ network: 'plain', bridge: 'vmplain' })], [], [], host, opts).map(
      line,
    );
    expect(steps).toEqual([
      'ovs-vsctl add-br ovs-eth1 -- set bridge ovs-eth1 datapath_type=netdev',
      'ovs-vsctl --may-exist add-port ovs-eth1 eth1',
      'ip link set eth1 up',
      'ovs-vsctl add-br vmnet10 ovs-eth1 10',
      'ovs-vsctl set interface vmnet10 mtu_request=1500',
      'ovs-vsctl add-br vmplain ovs-eth1 0',
      'ovs-vsctl set interface vmplain mtu_request=1500',
    ]);
  });

  it('changes nothing when the host already has it; removes a network that is no longer wanted', () => {
    const bridges: OvsBridge[] = [
      { name: 'ovs-eth1', parent: null, vlanId: null, ports: ['eth1'] },
      { name: 'vmnet10', parent: 'ovs-eth1', vlanId: 10, ports: [] },
      { name: 'vmnet20', parent: 'ovs-eth1', vlanId: 20, ports: [] },
    ];
    const now = snap(
      link({ name: 'eth1' }),
      link({ name: 'vmnet10', kind: 'tun' }),
      link({ name: 'vmnet20', kind: 'tun' }),
    );
    expect(planOvsApply([v10, v20], [v10, v20], bridges, now, opts)).toEqual([]);
    expect(planOvsApply([v10], [v10, v20], bridges, now, opts).map(line)).toEqual([
      'ovs-vsctl --if-exists del-br vmnet20',
    ]);
    // The last network of a NIC takes the NIC's OVS bridge with it.
    expect(planOvsApply([], [v10, v20], bridges, now, opts).map(line)).toEqual([
      'ovs-vsctl --if-exists del-br vmnet10',
      'ovs-vsctl --if-exists del-br vmnet20',
      'ovs-vsctl --if-exists del-br ovs-eth1',
    ]);
  });

  it('refuses to remove or re-tag a network VM ports use, unless rolling back', () => {
    const bridges: OvsBridge[] = [
      { name: 'ovs-eth1', parent: null, vlanId: null, ports: ['eth1'] },
      { name: 'vmnet20', parent: 'ovs-eth1', vlanId: 20, ports: ['vnet3'] },
    ];
    expect(() => planOvsApply([], [v20], bridges, host, opts)).toThrow(
      /v20 is still used by VM NIC\(s\) vnet3/,
    );
    expect(() => planOvsApply([{ ...v20, vlanId: 21 }], [v20], bridges, host, opts)).toThrow(SetupRefused);
    expect(planOvsApply([], [v20], bridges, host, { ...opts, restore: true }).map(line)).toContain(
      'ovs-vsctl --if-exists del-br vmnet20',
    );
  });

  it('puts addresses and the gateway on the fake bridge, MTU on the NIC (largest) and each bridge', () => {
    const mgmt = net({
      network: 'mgmt',
      bridge: 'mgmt',
      vlanId: 5,
      mtu: 9000,
      addresses: ['10.0.5.2/24'],
      gateway: '10.0.5.1',
    });
    const steps = planOvsApply([mgmt, v10], [], [], host, opts).map(line);
    expect(steps).toEqual(
      expect.arrayContaining([
        'ovs-vsctl set interface eth1 mtu_request=9000',
        'ovs-vsctl set interface mgmt mtu_request=9000',
        'ip addr add 10.0.5.2/24 dev mgmt',
        'ip link set mgmt up',
        'ip route replace default via 10.0.5.1 dev mgmt',
      ]),
    );
  });

  it('refuses what cannot work, before any command', () => {
    expect(() => planOvsApply([net({ nic: 'eth9' })], [], [], host, opts)).toThrow(/NIC eth9 does not exist/);
    expect(() => planOvsApply([net({ nic: 'eth0' })], [], [], host, opts)).toThrow(
      /port of Linux bridge br0/,
    );
    // …unless the same setup removes that Linux bridge.
    expect(() =>
      planOvsApply([net({ nic: 'eth0' })], [], [], host, { ...opts, released: new Set(['br0']) }),
    ).not.toThrow();
    expect(() => planOvsApply([v10, { ...v20, vlanId: 10 }], [], [], host, opts)).toThrow(
      /both want VLAN 10 on eth1/,
    );
    expect(() => planOvsApply([net({ bridge: 'ovs-eth1' })], [], [], host, opts)).toThrow(
      /OVS bridge of a NIC/,
    );
  });

  it('leaves Linux-bridge networks to the Linux planner', () => {
    expect(planOvsApply([net({ switchType: 'linux_bridge' })], [], [], host, opts)).toEqual([]);
  });
});
