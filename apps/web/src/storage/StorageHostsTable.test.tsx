import type { StorageDomain, StorageDomainHostStatus } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { StorageHostsTable } from './StorageHostsTable';

resetAfterEach();

const sd = {
  id: 'sd-1',
  name: 'local1',
  status: 'degraded',
  statusReason: '1 of 2 hosts can use it (h2: cannot open directory)',
} as StorageDomain;

it("shows each host's pool status, capacity used and error, and why the domain is degraded", async () => {
  const rows: StorageDomainHostStatus[] = [
    {
      storageDomainId: 'sd-1',
      hostId: 'a',
      hostName: 'h1',
      status: 'active',
      capacityBytes: 100 * 1024 ** 3,
      availableBytes: 25 * 1024 ** 3,
      error: null,
      checkedAt: new Date().toISOString(),
    },
    {
      storageDomainId: 'sd-1',
      hostId: 'b',
      hostName: 'h2',
      status: 'failed',
      capacityBytes: null,
      availableBytes: null,
      error: 'cannot open directory',
      checkedAt: new Date().toISOString(),
    },
  ];
  const fetchMock = vi.fn(async () => jsonResponse(200, rows));
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <StorageHostsTable sd={sd} />
    </QueryClientProvider>,
  );
  expect(await screen.findByText('h2')).toBeTruthy();
  expect(screen.getByRole('progressbar', { name: 'h1 capacity used' }).getAttribute('aria-valuenow')).toBe(
    '75',
  );
  expect(screen.getByText('cannot open directory')).toBeTruthy();
  expect(screen.getByText(sd.statusReason!)).toBeTruthy();
  expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe('/api/v1/storage-domains/sd-1/hosts');
});
