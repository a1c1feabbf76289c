import type { LinkSnapshot } from './links';
import { parseLinks } from './links';
import { planApply, planRestore, SetupRefused, touchedBy } from './setup-plan';
import { attachmentFixture, linkFixture } from './network-fixtures';

const link = linkFixture;
const net = attachmentFixture;
const lines = (cmds: string[][]) => cmds.map((c) => c.join(' '));

/** The lab host: eth0 in br0 carrying the management address, eth1 free. */
const host: LinkSnapshot = {
  links: [
    link('lo', { kind: null, mac: null }),
    link('br0', { kind: 'bridge', addresses: ['10.9.0.11/24'] }),
    link('eth0', { kind: 'veth', master: 'br0' }),
    link('eth1', { kind: 'veth', up: false, carrier: false, operstate: 'down' }),
    link('vnet0', { kind: 'tun', master: 'br0' }),
  ],
  routes: [{ gateway: '10.9.0.1', dev: 'br0' }],
};

describe('planApply', () => {
  it('makes an untagged bridge on the NIC with the network MTU, NIC first', () => {
    expect(lines(planApply([net({ bridge: 'br-jumbo', mtu: 9000 })], [], host))).toEqual([
      'link add br-jumbo type bridge',
      'link set eth1 mtu 9000',
      'link set eth1 master br-jumbo',
      'link set br-jumbo mtu 9000',
      'link set eth1 up',
      'link set br-jumbo up',
    ]);
  });

  it('tags a network through a VLAN device <nic>.<id> (the path this kernel cannot run: no 802.1q)', () => {
    expect(lines(planApply([net({ bridge: 'br-v10', vlanId: 10, mtu: 9000 })], [], host))).toEqual([
      'link add link eth1 name eth1.10 type vlan id 10',
      'link add br-v10 type bridge',
      'link set eth1 mtu 9000',
      'link set eth1.10 mtu 9000',
      'link set eth1.10 master br-v10',
      'link set br-v10 mtu 9000',
      'link set eth1 up',
      'link set eth1.10 up',
      'link set br-v10 up',
    ]);
  });

  it('gives a NIC the largest MTU of the VLANs it carries', () => {
    const cmds = lines(
      planApply(
        [net({ bridge: 'b10', vlanId: 10, mtu: 9000 }), net({ bridge: 'b20', vlanId: 20, mtu: 1500 })],
        [],
        host,
      ),
    );
    expect(cmds).toContain('link set eth1 mtu 9000');
    expect(cmds).not.toContain('link set eth1.20 mtu 1500'.replace('1500', '9000'));
  });

  it('moves a network to another NIC: the old uplink leaves, the tap stays, addresses and gateway on the bridge', () => {
    const cmds = lines(
      planApply(
        [
          net({
            network: 'mgmt',
            bridge: 'br0',
            nic: 'eth1',
            addresses: ['10.9.0.11/24'],
            gateway: '10.9.0.1',
          }),
        ],
        [],
        host,
      ),
    );
    expect(cmds).toEqual([
      'link set eth0 nomaster',
      'link set eth1 master br0',
      'link set eth1 up',
      'route replace default via 10.9.0.1 dev br0',
    ]);
  });

  it('removes a network no longer wanted, and refuses it while a VM uses its bridge', () => {
    const now: LinkSnapshot = {
      ...host,
      links: [
        ...host.links,
        link('br-old', { kind: 'bridge' }),
        link('eth1.5', { kind: 'vlan', master: 'br-old' }),
      ],
    };
    expect(lines(planApply([], [net({ bridge: 'br-old', vlanId: 5 })], now))).toEqual([
      'link set eth1.5 nomaster',
      'link del eth1.5',
      'link del br-old',
    ]);
    expect(() => planApply([], [net({ network: 'lab', bridge: 'br0', nic: 'eth0' })], host)).toThrow(
      /still used by VM NIC\(s\) vnet0/,
    );
  });

  it.each([
    [[net({ nic: 'eth9' })], /NIC eth9 does not exist/],
    [[net({ nic: 'vnet0' })], /tun device, not a NIC/],
    [[net({ bridge: 'a' }), net({ bridge: 'b' })], /both want the untagged side of eth1/],
    [[net({ bridge: 'a', vlanId: 3 }), net({ bridge: 'a', vlanId: 4 })], /both want bridge a/],
    [[net({ bridge: 'eth0' })], /eth0 exists and is not a bridge/],
    [
      [net({ bridge: 'a', gateway: '1.1.1.1' }), net({ bridge: 'b', vlanId: 2, gateway: '1.1.1.2' })],
      /one network/,
    ],
  ])('refuses %#', (wanted, message) => {
    expect(() => planApply(wanted, [], host)).toThrow(SetupRefused);
    expect(() => planApply(wanted, [], host)).toThrow(message);
  });
});

describe('planRestore', () => {
  it('undoes a management move: eth0 back in br0, eth1 out and down, the default route back', () => {
    const after: LinkSnapshot = {
      links: host.links.map((l) =>
        l.name === 'eth0'
          ? { ...l, master: null }
          : l.name === 'eth1'
            ? { ...l, master: 'br0', up: true }
            : l,
      ),
      routes: [],
    };
    const touched = touchedBy([[net({ bridge: 'br0', nic: 'eth1' })]]);
    expect(lines(planRestore(host, after, touched))).toEqual([
      'link set eth1 nomaster',
      'link set eth0 master br0',
      'link set eth1 down',
      'route replace default via 10.9.0.1 dev br0',
    ]);
  });

  it('deletes what the setup made and makes again what it deleted', () => {
    const before: LinkSnapshot = {
      links: [
        ...host.links,
        link('br-old', { kind: 'bridge', mtu: 1400 }),
        link('eth1.5', { kind: 'vlan', vlan: { parent: 'eth1', id: 5 }, master: 'br-old', mtu: 1400 }),
      ],
      routes: [],
    };
    const after: LinkSnapshot = {
      links: [...host.links, link('br-new', { kind: 'bridge', mtu: 9000 })],
      routes: [],
    };
    const touched = touchedBy([[net({ bridge: 'br-new' })], [net({ bridge: 'br-old', vlanId: 5 })]]);
    expect(lines(planRestore(before, after, touched))).toEqual([
      'link del br-new',
      'link add br-old type bridge',
      'link add link eth1 name eth1.5 type vlan id 5',
      'link set eth1.5 mtu 1400',
      'link set br-old mtu 1400',
      'link set eth1.5 master br-old',
      'link set br-old up',
      'link set eth1.5 up',
    ]);
  });
});

describe('parseLinks', () => {
  it('reads kind, master, carrier, VLAN and global addresses from ip -j -d addr', () => {
    const [l] = parseLinks(
      JSON.stringify([
        {
          ifname: 'eth1.10',
          flags: ['BROADCAST', 'UP', 'LOWER_UP'],
          mtu: 9000,
          master: 'br-v10',
          operstate: 'UP',
          link_type: 'ether',
          address: '52:54:00:aa:bb:cc',
          link: 'eth1',
          linkinfo: { info_kind: 'vlan', info_data: { id: 10 } },
          addr_info: [
            { family: 'inet', local: '192.0.2.5', prefixlen: 24, scope: 'global' },
            { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
          ],
        },
      ]),
    );
    expect(l).toEqual({
      name: 'eth1.10',
      kind: 'vlan',
      master: 'br-v10',
      mtu: 9000,
      mac: '52:54:00:aa:bb:cc',
      up: true,
      carrier: true,
      operstate: 'up',
      vlan: { parent: 'eth1', id: 10 },
      addresses: ['192.0.2.5/24'],
    });
  });
});
