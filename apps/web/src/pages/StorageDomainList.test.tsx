import type { StorageDomain, StorageDomainHostStatus } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { giveTablesASize } from '../lists/tableSize.test-support';
import { StorageDomainList } from './StorageDomainList';

resetAfterEach();
giveTablesASize();

const sd = (patch: Partial<StorageDomain>) =>
  ({
    id: 'sd-1',
    name: 'nfs1',
    description: '',
    datacenterId: 'dc-1',
    type: 'nfs',
    connection: { server: 'filer', export: '/vols/a' },
    path: '/rhev/nfs1',
    status: 'degraded',
    statusReason: '1 of 2 hosts can use it',
    ...patch,
  }) as StorageDomain;

const host = (name: string, patch: Partial<StorageDomainHostStatus>): StorageDomainHostStatus => ({
  storageDomainId: 'sd-1',
  hostId: name,
  hostName: name,
  status: 'active',
  capacityBytes: 100 * 1024 ** 3,
  availableBytes: 40 * 1024 ** 3,
  error: null,
  checkedAt: new Date().toISOString(),
  ...patch,
});

function mount(domains: StorageDomain[], hosts: Record<string, StorageDomainHostStatus[]>) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const m = /\/storage-domains\/([^/?]+)\/hosts/.exec(url);
    if (m) return jsonResponse(200, hosts[m[1]!] ?? []);
    if (init?.method === 'POST')
      return jsonResponse(202, { id: 't-1', type: 'storage_domain.activate', status: 'queued', progress: 0 });
    if (url.startsWith('/api/v1/tasks/t-1'))
      return jsonResponse(200, {
        id: 't-1',
        type: 'storage_domain.activate',
        status: 'succeeded',
        progress: 100,
      });
    if (url.includes('/storage-domains'))
      return jsonResponse(200, { items: domains, total: domains.length, limit: 100, offset: 0 });
    return jsonResponse(200, { items: [{ id: 'dc-1', name: 'dc1' }], total: 1 });
  });
  vi.stubGlobal('fetch', fetchMock);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const invalidate = vi.spyOn(qc, 'invalidateQueries');
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <StorageDomainList />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { fetchMock, invalidate };
}

it('shows each domain with its hosts and the space left, and only the steps its status allows', async () => {
  mount([sd({}), sd({ id: 'sd-2', name: 'local2', type: 'dir', status: 'detached', statusReason: null })], {
    'sd-1': [
      host('h1', { availableBytes: 30 * 1024 ** 3 }),
      host('h2', { status: 'failed', capacityBytes: null, availableBytes: null, error: 'mount timed out' }),
    ],
  });
  await screen.findByRole('link', { name: 'nfs1' });
  await waitFor(() =>
    expect(document.querySelector('[data-field=usage]')?.textContent).toBe(
      '30.0 GiB free of 100 GiB · 1 of 2 hosts · failing on h2',
    ),
  );
  expect(screen.getByRole('progressbar', { name: 'nfs1 space used' }).getAttribute('aria-valuenow')).toBe(
    '70',
  );
  expect(screen.getAllByRole('link', { name: 'dc1' })[0]!.getAttribute('href')).toBe('/datacenters/dc-1');
  expect(screen.getByRole('button', { name: 'Maintenance nfs1' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Delete nfs1' })).toBeNull();
  expect(screen.getByRole('button', { name: 'Attach local2' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Delete local2' })).toBeTruthy();
  // The name opens the domain's page (hosts and images).
  expect(screen.getByRole('link', { name: 'nfs1' }).getAttribute('href')).toBe('/storage-domains/sd-1');
});

it('maintenance and detach ask first, saying what happens; Cancel sends nothing', async () => {
  const { fetchMock } = mount([sd({ status: 'active', statusReason: null })], {});
  fireEvent.click(await screen.findByRole('button', { name: 'Maintenance nfs1' }));
  const dialog = screen.getByRole('dialog', { name: 'Put storage domain nfs1 in maintenance?' });
  expect(dialog.textContent).toContain('Every host stops its pool');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'POST')).toBe(false);
  fireEvent.click(screen.getByRole('button', { name: 'Maintenance nfs1' }));
  fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Maintenance' }));
  await waitFor(() =>
    expect(fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`)).toContain(
      'POST /api/v1/storage-domains/sd-1/maintenance',
    ),
  );
});

it('attach and activate ask first too, saying what happens; Cancel sends nothing', async () => {
  const { fetchMock } = mount([sd({ status: 'detached', statusReason: null })], {});
  fireEvent.click(await screen.findByRole('button', { name: 'Attach nfs1' }));
  const dialog = screen.getByRole('dialog', { name: 'Attach storage domain nfs1?' });
  expect(dialog.textContent).toContain('no host uses it until it is activated');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'POST')).toBe(false);
  fireEvent.click(screen.getByRole('button', { name: 'Attach nfs1' }));
  fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Attach' }));
  await waitFor(() =>
    expect(fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`)).toContain(
      'POST /api/v1/storage-domains/sd-1/attach',
    ),
  );
});

it('a step is the portal mutation (the list refreshes); Delete asks first and sends DELETE', async () => {
  const { fetchMock, invalidate } = mount([sd({ status: 'maintenance', statusReason: null })], {});
  fireEvent.click(await screen.findByRole('button', { name: 'Activate nfs1' }));
  const activate = screen.getByRole('dialog', { name: 'Activate storage domain nfs1?' });
  expect(activate.textContent).toContain('defines and starts its pool');
  fireEvent.click(within(activate).getByRole('button', { name: 'Activate' }));
  await waitFor(() =>
    expect(invalidate.mock.calls.map((c) => c[0]?.queryKey)).toContainEqual(['storage-domains']),
  );
  fireEvent.click(screen.getByRole('button', { name: 'Delete nfs1' }));
  const dialog = screen.getByRole('dialog', { name: 'Delete storage domain nfs1?' });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
  await waitFor(() =>
    expect(fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/storage-domains/sd-1/activate',
        'DELETE /api/v1/storage-domains/sd-1',
      ]),
    ),
  );
});
