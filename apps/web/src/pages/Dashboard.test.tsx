import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { ByStatus, CountCard, fleetLoad } from './Dashboard';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it('load is shown against the CPUs: the bar stops at full, the text keeps the real figure', () => {
  expect(fleetLoad(7.9, 4)).toEqual({
    percent: 100,
    text: '7.9 on 4 CPUs (198 %: more than the CPUs can run at once)',
  });
  expect(fleetLoad(1, 4)).toEqual({ percent: 25, text: '1.0 on 4 CPUs (25 %)' });
});

it('counts VMs without templates', async () => {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      const total = url.startsWith('/api/v1/vms') && !url.includes('isTemplate=false') ? 5 : 3;
      return new Response(JSON.stringify({ items: [], total, limit: 1, offset: 0, samples: [] }), {
        status: 200,
      });
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <CountCard resource="vms" label="VMs" to="/vms" />
        <ByStatus resource="vms" statuses={['up', 'down']} title="Virtual machines" to="/vms" />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByRole('link', { name: '3 VMs' })).toBeTruthy();
  expect(await screen.findByRole('link', { name: '3 down VMs' })).toBeTruthy();
  await waitFor(() =>
    expect(urls.some((u) => u.startsWith('/api/v1/vms?isTemplate=false&limit=1'))).toBe(true),
  );
  expect(urls.filter((u) => u.startsWith('/api/v1/vms') && !u.includes('isTemplate=false'))).toEqual([]);
});
