import type { HostNetworkView } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { HostNetworkSetupDialog, setupRequest } from './HostNetworkSetupDialog';

resetAfterEach();

const nic = (name: string) => ({
  name,
  mac: null,
  state: 'up',
  carrier: true,
  speedMbps: null,
  mtu: 1500,
  addresses: [],
  driver: 'veth',
  bridge: null,
});
const view: HostNetworkView = {
  hostId: 'h-1',
  reportedAt: '2026-01-01T00:00:00Z',
  nics: [nic('eth0'), nic('eth1'), nic('eth2')],
  bridges: [],
  bonds: [],
  attachments: [{ network: 'v10', bridge: 'vmnet10', nic: 'eth1', switchType: 'ovs', vlanId: 10, mtu: 1500 }],
  appliedBonds: [],
  lastSetup: null,
  clusterNetworks: [
    { networkId: 'n10', name: 'v10', bridge: 'vmnet10', attachment: 'required', present: true },
    { networkId: 'n20', name: 'v20', bridge: 'vmnet20', attachment: 'optional', present: false },
  ],
  warnings: [],
};

describe('HostNetworkSetupDialog', () => {
  it('builds the whole wanted state: networks on NICs or bonds, the bonds, the check', () => {
    expect(
      setupRequest(
        { n10: 'bond0', n20: '' },
        [{ name: 'bond0', members: ['eth1', 'eth2'], mode: 'balance-slb' }],
        '30',
      ),
    ).toEqual({
      attachments: [{ networkId: 'n10', nic: 'bond0' }],
      bonds: [{ name: 'bond0', members: ['eth1', 'eth2'], mode: 'balance-slb' }],
      connectivityTimeoutSeconds: 30,
    });
  });

  it('puts a network on a new bond, counts down the rollback while applying and says why it failed', async () => {
    let finish: (r: Response) => void = () => undefined;
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (method === 'POST' && url.endsWith('/hosts/h-1/network-setup'))
        return jsonResponse(202, { id: 't-1', type: 'host.network_setup', status: 'running', progress: 10 });
      if (url.includes('/tasks/t-1')) return new Promise<Response>((resolve) => (finish = resolve));
      return jsonResponse(500, { code: 'internal', message: `unexpected ${method} ${url}` });
    });
    vi.stubGlobal('fetch', fetchMock);
    const onClose = vi.fn();
    renderWithQueries(
      <HostNetworkSetupDialog hostId="h-1" hostName="kvm1" switchType="ovs" view={view} onClose={onClose} />,
    );
    // The current placement is the starting point.
    expect((screen.getByLabelText('NIC of v10') as HTMLSelectElement).value).toBe('eth1');
    fireEvent.click(screen.getByRole('button', { name: 'Add bond' }));
    fireEvent.click(screen.getByLabelText('eth1'));
    fireEvent.click(screen.getByLabelText('eth2'));
    // OVS modes only, for an OVS cluster.
    const mode = screen.getByLabelText('Mode') as HTMLSelectElement;
    expect([...mode.options].map((o) => o.value)).toEqual(['active-backup', 'balance-slb', 'balance-tcp']);
    fireEvent.change(mode, { target: { value: 'balance-slb' } });
    // Bond members are no longer offered to networks; the bond is.
    const nicOfV10 = screen.getByLabelText('NIC of v10') as HTMLSelectElement;
    expect([...nicOfV10.options].map((o) => o.value)).toEqual(['', 'eth0', 'bond0']);
    fireEvent.change(nicOfV10, { target: { value: 'bond0' } });
    fireEvent.change(screen.getByLabelText(/Connectivity check/), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      expect.stringMatching(
        /Applying on kvm1: it rolls back by itself in (20|19) s unless the engine reaches it/,
      ),
    );
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(post[1]!.body as string)).toEqual({
      attachments: [{ networkId: 'n10', nic: 'bond0' }],
      bonds: [{ name: 'bond0', members: ['eth1', 'eth2'], mode: 'balance-slb' }],
      connectivityTimeoutSeconds: 20,
    });
    finish(
      jsonResponse(200, {
        id: 't-1',
        type: 'host.network_setup',
        status: 'failed',
        progress: 100,
        errorMessage:
          'rolled back: the engine did not reach the host within 20 s; the previous configuration was restored',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('the previous configuration was restored'),
    );
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(onClose).not.toHaveBeenCalled();
  }, 30_000);

  it('puts a network on a NIC or bond dragged there, or off the host; the select follows (and stays the keyboard way)', async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST' && url.endsWith('/hosts/h-1/network-setup'))
        return jsonResponse(202, { id: 't-1', type: 'host.network_setup', status: 'running', progress: 10 });
      if (url.includes('/tasks/t-1'))
        return jsonResponse(200, {
          id: 't-1',
          type: 'host.network_setup',
          status: 'succeeded',
          progress: 100,
        });
      return jsonResponse(500, { code: 'internal', message: `unexpected ${url}` });
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithQueries(
      <HostNetworkSetupDialog hostId="h-1" hostName="kvm1" switchType="ovs" view={view} onClose={vi.fn()} />,
    );
    // jsdom has no DataTransfer: a minimal one carries the dragged network's id like a browser's.
    const store = new Map<string, string>();
    const dataTransfer = {
      setData: (t: string, v: string) => store.set(t, v),
      getData: (t: string) => store.get(t) ?? '',
      get types() {
        return [...store.keys()];
      },
      effectAllowed: 'all',
    };
    const drag = (network: string, zone: string) => {
      store.clear();
      const chip = screen.getByText(network, { selector: '[draggable="true"]' });
      fireEvent.dragStart(chip, { dataTransfer });
      const target = screen.getByLabelText(zone);
      fireEvent.dragOver(target, { dataTransfer });
      expect(target.className).toContain('over');
      fireEvent.drop(target, { dataTransfer });
      fireEvent.dragEnd(chip, { dataTransfer });
    };
    drag('v20', 'Drop on eth2');
    expect((screen.getByLabelText('NIC of v20') as HTMLSelectElement).value).toBe('eth2');
    expect(screen.getByLabelText('Drop on eth2').textContent).toContain('v20');
    drag('v10', 'Drop to take off this host');
    expect((screen.getByLabelText('NIC of v10') as HTMLSelectElement).value).toBe('');

    // A bond with LACP (OVS), then v10 dragged onto it.
    fireEvent.click(screen.getByRole('button', { name: 'Add bond' }));
    fireEvent.click(screen.getByLabelText('eth0'));
    fireEvent.click(screen.getByLabelText('eth1'));
    fireEvent.change(screen.getByLabelText('Mode'), { target: { value: 'balance-tcp' } });
    const lacp = screen.getByLabelText('LACP') as HTMLSelectElement;
    expect([...lacp.options].map((o) => o.value)).toEqual(['off', 'active', 'passive']);
    fireEvent.change(lacp, { target: { value: 'active' } });
    drag('v10', 'Drop on bond0');
    // Something that is not a network (a file, text) dropped on a NIC changes nothing.
    store.clear();
    store.set('text/plain', 'hello');
    fireEvent.dragOver(screen.getByLabelText('Drop on eth2'), { dataTransfer });
    expect(screen.getByLabelText('Drop on eth2').className).not.toContain('over');
    fireEvent.drop(screen.getByLabelText('Drop on eth2'), { dataTransfer });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true));
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(post[1]!.body as string)).toEqual({
      attachments: [
        { networkId: 'n10', nic: 'bond0' },
        { networkId: 'n20', nic: 'eth2' },
      ],
      bonds: [{ name: 'bond0', members: ['eth0', 'eth1'], mode: 'balance-tcp', lacp: 'active' }],
      connectivityTimeoutSeconds: 60,
    });
  }, 30_000);
});
