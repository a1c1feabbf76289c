import type { Cluster, LogicalNetwork, MacPool } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { invalidOf, typeInto } from '../forms/fields.test-support';
import { MacPoolsPage } from './MacPoolsPage';
import { NetworkDialog } from './NetworkDialog';
import { ProfileDialog } from './ProfileDialog';

resetAfterEach();

const withRouter = (ui: ReactNode) => renderWithQueries(<MemoryRouter>{ui}</MemoryRouter>);

/** Answers GETs with `get(url)` and changes with `change(url, body)`; returns the changes sent. */
function stub(get: (url: string) => unknown, change: (url: string, body: unknown) => Response) {
  const sent: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (!init?.method) return jsonResponse(200, get(url));
      sent.push(`${init.method} ${url} ${init.body ? String(init.body) : ''}`.trim());
      return change(url, init.body ? JSON.parse(String(init.body)) : undefined);
    }),
  );
  return sent;
}

const dcs = { items: [{ id: 'dc-1', name: 'dc1' }], total: 1 };
const clusters = [
  { id: 'c-1', name: 'prod', datacenterId: 'dc-1' },
  { id: 'c-2', name: 'other', datacenterId: 'dc-2' },
] as Cluster[];

describe('NetworkDialog', () => {
  it('a VLAN network attached as required to the clusters of its datacenter only', async () => {
    const sent = stub(
      () => dcs,
      (url) =>
        url === '/api/v1/networks' ? jsonResponse(201, { id: 'n-1', name: 'vlan10' }) : jsonResponse(201, {}),
    );
    const onClose = vi.fn();
    renderWithQueries(<NetworkDialog clusters={clusters} onClose={onClose} />);
    await screen.findByRole('option', { name: 'dc1' });
    typeInto('Name', 'vlan10');
    typeInto('Datacenter', 'dc-1');
    typeInto('Bridge', 'br-vlan10');
    typeInto('VLAN id', '10');
    typeInto('MTU', '9000');
    typeInto('Clusters of the datacenter', 'required');
    fireEvent.click(screen.getByRole('button', { name: 'Create network' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent).toEqual([
      'POST /api/v1/networks {"name":"vlan10","description":"","datacenterId":"dc-1","bridge":"br-vlan10","vlanId":10,"mtu":9000,"vmNetwork":true}',
      'POST /api/v1/clusters/c-1/networks {"networkId":"n-1","attachment":"required"}',
    ]);
  });

  it('refuses a VLAN id, MTU and bridge out of range before sending; the engine’s 409 shows above the buttons', async () => {
    const sent = stub(
      () => dcs,
      () =>
        jsonResponse(409, {
          code: 'conflict',
          message: 'a network named lan already exists in datacenter dc1',
        }),
    );
    const net = {
      id: 'n-1',
      name: 'lan',
      datacenterId: 'dc-1',
      bridge: 'br0',
      vlanId: null,
      mtu: 1500,
      vmNetwork: true,
      description: '',
    } as LogicalNetwork;
    renderWithQueries(<NetworkDialog network={net} clusters={clusters} onClose={vi.fn()} />);
    typeInto('VLAN id', '4095');
    typeInto('MTU', '60');
    typeInto('Bridge', 'a-bridge-name-too-long');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(invalidOf('VLAN id')).toBe('true'));
    expect(invalidOf('MTU')).toBe('true');
    expect(invalidOf('Bridge')).toBe('true');
    expect(sent).toEqual([]);
    typeInto('VLAN id', '');
    typeInto('MTU', '1500');
    typeInto('Bridge', 'br0');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/already exists/);
    expect(sent).toEqual([
      'PATCH /api/v1/networks/n-1 {"name":"lan","description":"","bridge":"br0","vlanId":null,"mtu":1500,"vmNetwork":true}',
    ]);
  });
});

describe('ProfileDialog', () => {
  const net = { id: 'n-1', name: 'lan' } as LogicalNetwork;

  it('sends QoS each way (empty = unlimited); a peak below the average is marked by the peak', async () => {
    const sent = stub(
      () => [],
      () => jsonResponse(201, {}),
    );
    const onClose = vi.fn();
    renderWithQueries(<ProfileDialog network={net} onClose={onClose} />);
    typeInto('Name', 'gold');
    typeInto('Outbound average (KiB/s)', '1000');
    typeInto('Outbound peak (KiB/s)', '500');
    fireEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    await waitFor(() => expect(invalidOf('Outbound peak (KiB/s)')).toBe('true'));
    expect(sent).toEqual([]);
    typeInto('Outbound peak (KiB/s)', '2000');
    typeInto('Outbound burst (KiB)', '64');
    fireEvent.click(screen.getByLabelText(/Port mirroring/));
    fireEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent).toEqual([
      'POST /api/v1/networks/n-1/vnic-profiles {"name":"gold","description":"","inbound":null,"outbound":{"averageKiBps":1000,"peakKiBps":2000,"burstKiB":64},"portMirroring":true}',
    ]);
  });

  it("the engine's reason about one limit shows beside that limit", async () => {
    stub(
      () => [],
      () =>
        jsonResponse(400, {
          code: 'validation_failed',
          message: 'invalid request',
          details: [{ field: 'inbound.burstKiB', reason: 'burstKiB must not be greater than 1048576' }],
        }),
    );
    renderWithQueries(<ProfileDialog network={net} onClose={vi.fn()} />);
    typeInto('Name', 'gold');
    typeInto('Inbound average (KiB/s)', '10');
    fireEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    await waitFor(() => expect(invalidOf('Inbound burst (KiB)')).toBe('true'));
    expect(invalidOf('Inbound average (KiB/s)')).toBeNull();
  });
});

describe('MacPoolsPage', () => {
  const pool: MacPool = {
    id: 'm-1',
    datacenterId: 'dc-1',
    name: 'default',
    ranges: [{ from: '52:54:00:00:00:00', to: '52:54:00:00:00:ff' }],
    size: 256,
    used: 64,
    createdAt: '',
    updatedAt: '',
  };

  it('shows each datacenter pool and its use; an edit adds a range, a reversed range is marked, an overlap by the engine', async () => {
    const sent = stub(
      (url) => (url.endsWith('/mac-pool') ? pool : dcs),
      () =>
        jsonResponse(400, {
          code: 'validation_failed',
          message: 'invalid request',
          details: [{ field: 'ranges.1', reason: 'overlaps ranges.0 (52:54:00:00:00:00-52:54:00:00:00:ff)' }],
        }),
    );
    withRouter(<MacPoolsPage />);
    expect(
      (await screen.findByRole('progressbar', { name: 'default in use' })).getAttribute('aria-valuenow'),
    ).toBe('25');
    fireEvent.click(screen.getByRole('button', { name: 'Edit the MAC pool of dc1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add range' }));
    typeInto('Range 2 from', '52:54:00:00:00:10');
    typeInto('Range 2 to', '52:54:00:00:00:01');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(invalidOf('Range 2 to')).toBe('true'));
    expect(sent).toEqual([]);
    typeInto('Range 2 to', '52:54:00:00:00:20');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/overlaps ranges.0/)).toBeTruthy();
    expect(sent).toEqual([
      'PUT /api/v1/datacenters/dc-1/mac-pool {"name":"default","ranges":[{"from":"52:54:00:00:00:00","to":"52:54:00:00:00:ff"},{"from":"52:54:00:00:00:10","to":"52:54:00:00:00:20"}]}',
    ]);
  });
});
