import type { HostNetworkView } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { HostNicsPanel } from './HostNicsPanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const nic = (name: string, bridge: string | null) => ({
  name,
  mac: '52:54:00:00:00:01',
  state: 'up',
  carrier: true,
  speedMbps: 10000,
  mtu: 1500,
  addresses: name === 'eth0' ? ['10.0.0.11/24'] : [],
  driver: 'veth',
  bridge,
});
const bridge = (o: Partial<HostNetworkView['bridges'][number]> & { name: string }) => ({
  mtu: 1500,
  state: 'up',
  addresses: [],
  ports: [],
  managed: true,
  switchType: 'linux_bridge' as const,
  parent: null,
  vlanId: null,
  networkId: null,
  networkName: null,
  ...o,
});
const view: HostNetworkView = {
  hostId: 'h1',
  reportedAt: '2026-01-01T00:00:00Z',
  nics: [
    nic('eth0', 'br0'),
    nic('eth1', 'ovs-eth1'),
    nic('eth2', null),
    nic('eth3', 'ovs-bond0'),
    nic('eth4', 'ovs-bond0'),
  ],
  bridges: [
    bridge({ name: 'br0', networkId: 'n0', networkName: 'ovirtmgmt', managed: false }),
    bridge({ name: 'ovs-eth1', switchType: 'ovs' }),
    bridge({
      name: 'vmnet10',
      switchType: 'ovs',
      parent: 'ovs-eth1',
      vlanId: 10,
      networkId: 'n10',
      networkName: 'v10',
    }),
    bridge({
      name: 'vmnet20',
      switchType: 'ovs',
      parent: 'ovs-eth1',
      vlanId: 20,
      networkId: 'n20',
      networkName: 'v20',
    }),
    bridge({ name: 'ovs-bond0', switchType: 'ovs' }),
    bridge({
      name: 'vmnet30',
      switchType: 'ovs',
      parent: 'ovs-bond0',
      vlanId: 30,
      networkId: 'n30',
      networkName: 'v30',
    }),
  ],
  bonds: [
    { name: 'bond0', members: ['eth3', 'eth4'], mode: 'balance-slb', switchType: 'ovs', bridge: 'ovs-bond0' },
  ],
  attachments: [],
  appliedBonds: [],
  lastSetup: {
    checkpoint: '11111111-1111-4111-8111-111111111111',
    outcome: 'rolled_back',
    at: '2026-01-01T00:00:00Z',
    reason: 'the engine did not reach the host within 8 s',
  },
  clusterNetworks: [],
  warnings: ['optional network extra is missing (no bridge br-extra)'],
};

it('lists each NIC with its switch and the networks it carries (OVS VLANs included)', async () => {
  const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify(view), { status: 200 }));
  vi.stubGlobal('fetch', fetch);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <HostNicsPanel hostId="h1" />
    </QueryClientProvider>,
  );
  const table = await screen.findByRole('table', { name: 'Network interfaces' });
  const row = (name: string) => within(table).getByText(name).closest('tr')!;
  expect(row('eth0').textContent).toContain('Linux bridge br0');
  expect(row('eth0').textContent).toContain('ovirtmgmt');
  expect(row('eth0').textContent).toContain('10.0.0.11/24');
  expect(row('eth1').textContent).toContain('Open vSwitch ovs-eth1');
  expect(row('eth1').textContent).toContain('v10 · VLAN 10, v20 · VLAN 20');
  expect(row('eth2').textContent).toMatch(/–.*–$/);
  for (const member of ['eth3', 'eth4']) {
    expect(row(member).textContent).toContain('Open vSwitch ovs-bond0 · bond bond0 (balance-slb)');
    expect(row(member).textContent).toContain('v30 · VLAN 30');
  }
  expect(fetch.mock.calls[0]![0]).toContain('/hosts/h1/nics');
  expect(screen.getByText(/optional network extra is missing/)).toBeTruthy();
  expect(screen.getByText(/Last network setup .*rolled back.*did not reach the host/i)).toBeTruthy();
});
