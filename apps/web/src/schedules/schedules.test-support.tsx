import type { Schedule } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { jsonResponse } from '../api/fetch-stub';

export const VM = '11111111-1111-4111-8111-111111111111';
export const schedule = (patch: Partial<Schedule>): Schedule => ({
  id: 's-1',
  name: 'nightly-off',
  action: 'vm.shutdown',
  target: { type: 'vm', id: VM },
  params: {},
  runAt: null,
  cron: '0 2 * * *',
  timezone: 'UTC',
  state: 'active',
  nextRunAt: '2030-01-02T02:00:00.000Z',
  createdBy: 'admin',
  createdAt: '2029-12-31T10:00:00.000Z',
  cancelledAt: null,
  ...patch,
});

type Handler = (url: string, init?: RequestInit) => Response | undefined;
export function mount(ui: React.ReactNode, handle: Handler) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const answered = handle(url, init);
    if (answered) return answered;
    if (url.startsWith(`/api/v1/vms/${VM}`)) return jsonResponse(200, { id: VM, name: 'web1' });
    return jsonResponse(200, { items: [], total: 0, limit: 50, offset: 0 });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
  return fetchMock;
}
export const calls = (f: ReturnType<typeof vi.fn>) =>
  f.mock.calls.map(([u, i]) => `${(i as RequestInit)?.method ?? 'GET'} ${u}`);
export const bodyOf = (f: ReturnType<typeof vi.fn>, method: string) =>
  JSON.parse(
    String((f.mock.calls.find(([, i]) => (i as RequestInit)?.method === method)![1] as RequestInit).body),
  );
