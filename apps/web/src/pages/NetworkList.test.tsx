import type { ClusterNetwork, LogicalNetwork } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { giveTablesASize } from '../lists/tableSize.test-support';
import { NetworkList } from './NetworkList';

resetAfterEach();
giveTablesASize();

const net = (id: string, name: string): LogicalNetwork =>
  ({
    id,
    name,
    description: '',
    datacenterId: 'dc-1',
    bridge: `br-${name}`,
    vlanId: null,
    mtu: 1500,
    vmNetwork: true,
  }) as LogicalNetwork;

const attachments: Record<string, ClusterNetwork[]> = {
  'c-1': [
    { clusterId: 'c-1', networkId: 'n-1', attachment: 'required', createdAt: '' },
    { clusterId: 'c-1', networkId: 'n-2', attachment: 'optional', createdAt: '' },
  ],
  'c-2': [{ clusterId: 'c-2', networkId: 'n-1', attachment: 'optional', createdAt: '' }],
};

function mount() {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (init?.method === 'DELETE') return new Response(null, { status: 204 });
    if (init?.method) return jsonResponse(201, {});
    const m = /\/clusters\/([^/?]+)\/networks/.exec(url);
    if (m) return jsonResponse(200, attachments[m[1]!] ?? []);
    // What a Permissions panel reads.
    if (/\/(grants|users|roles|groups)\b/.test(url)) return jsonResponse(200, []);
    const page = (items: unknown[]) =>
      jsonResponse(200, { items, total: items.length, limit: 500, offset: 0 });
    if (url.includes('/networks')) return page([net('n-1', 'prod'), net('n-2', 'backup'), net('n-3', 'lab')]);
    if (url.includes('/clusters'))
      return page([
        { id: 'c-1', name: 'east', datacenterId: 'dc-1' },
        { id: 'c-2', name: 'west', datacenterId: 'dc-1' },
        { id: 'c-9', name: 'other-dc', datacenterId: 'dc-2' },
      ]);
    return page([{ id: 'dc-1', name: 'dc1' }]);
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <NetworkList />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return fetchMock;
}

it('shows the clusters each network is attached to, linked, optional ones marked', async () => {
  mount();
  await waitFor(() =>
    expect([...document.querySelectorAll('[data-field=clusters]')].map((e) => e.textContent)).toEqual([
      'east, west (optional)',
      'east (optional)',
    ]),
  );
  expect(screen.getAllByRole('link', { name: 'west' })[0]!.getAttribute('href')).toBe('/clusters/c-2');
  expect(screen.getByText('not attached')).toBeTruthy();
});

it('Clusters… lists the clusters of its datacenter; each change asks first, then sends attach, re-flag or detach', async () => {
  const fetchMock = mount();
  await waitFor(() => expect(document.querySelectorAll('[data-field=clusters]')).toHaveLength(2));
  fireEvent.click(screen.getByRole('button', { name: 'Change the clusters of backup' }));
  const dialog = screen.getByRole('dialog', { name: 'Clusters of network backup' });
  expect(within(dialog).queryByText('other-dc')).toBeNull();
  const east = within(dialog).getByLabelText('east') as HTMLSelectElement;
  expect(east.value).toBe('optional');
  const sent = () =>
    fetchMock.mock.calls
      .filter(([, i]) => i?.method)
      .map(([u, i]) => `${i!.method} ${u} ${(i!.body as string | undefined) ?? ''}`.trim());
  const answer = async (title: string, says: string, button: string) => {
    const ask = await screen.findByRole('dialog', { name: title });
    expect(ask.textContent).toContain(says);
    fireEvent.click(within(ask).getByRole('button', { name: button }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: title })).toBeNull());
  };
  // Cancel sends nothing and leaves the choice as it was.
  fireEvent.change(within(dialog).getByLabelText('west'), { target: { value: 'required' } });
  await answer('Attach network backup to cluster west (required)?', 'not operational', 'Cancel');
  expect(sent()).toEqual([]);
  expect((within(dialog).getByLabelText('west') as HTMLSelectElement).value).toBe('');
  fireEvent.change(within(dialog).getByLabelText('west'), { target: { value: 'required' } });
  await answer('Attach network backup to cluster west (required)?', 'not operational', 'Attach');
  fireEvent.change(east, { target: { value: 'required' } });
  await answer('Make network backup required on cluster east?', 'not operational', 'Make required');
  fireEvent.change(east, { target: { value: '' } });
  await answer('Detach network backup from cluster east?', 'no longer set it up', 'Detach');
  expect(sent()).toEqual([
    'POST /api/v1/clusters/c-2/networks {"networkId":"n-2","attachment":"required"}',
    'PATCH /api/v1/clusters/c-1/networks/n-2 {"attachment":"required"}',
    'DELETE /api/v1/clusters/c-1/networks/n-2',
  ]);
  // The clusters dialog stays open for the next change.
  expect(screen.getByRole('dialog', { name: 'Clusters of network backup' })).toBeTruthy();
});

it('row actions are one menu per network: Edit…, vNIC profiles, Permissions… and Delete… open theirs', async () => {
  mount();
  await waitFor(() => expect(document.querySelectorAll('[data-field=clusters]')).toHaveLength(2));
  // No action buttons of their own in the rows any more.
  expect(screen.queryByRole('button', { name: 'Delete backup' })).toBeNull();
  const button = screen.getByRole('button', { name: 'Actions for backup' });
  expect(button.getAttribute('aria-haspopup')).toBe('menu');
  fireEvent.click(button);
  const menu = screen.getByRole('menu', { name: 'Actions for backup' });
  expect(
    within(menu)
      .getAllByRole('menuitem')
      .map((m) => m.textContent),
  ).toEqual(['Edit…', 'vNIC profiles', 'Permissions…', 'Delete…']);
  fireEvent.click(within(menu).getByRole('menuitem', { name: 'Delete…' }));
  expect(screen.queryByRole('menu')).toBeNull();
  const del = screen.getByRole('dialog', { name: 'Delete network backup?' });
  fireEvent.click(within(del).getByRole('button', { name: 'Cancel' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

  fireEvent.click(screen.getByRole('button', { name: 'Actions for prod' }));
  fireEvent.click(screen.getByRole('menuitem', { name: 'Permissions…' }));
  const perms = screen.getByRole('dialog', { name: 'Permissions on prod' });
  fireEvent.keyDown(perms, { key: 'Escape' });
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

  fireEvent.click(screen.getByRole('button', { name: 'Actions for lab' }));
  fireEvent.click(screen.getByRole('menuitem', { name: 'Edit…' }));
  expect(screen.getByRole('dialog', { name: /lab/ })).toBeTruthy();
});
