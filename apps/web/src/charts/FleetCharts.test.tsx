import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { FleetCharts } from './StatsCharts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it('draws the fleet from one request to the engine, whatever the number of hosts', async () => {
  const fetch = vi.fn(
    async () =>
      new Response(
        JSON.stringify({
          hosts: 30,
          bucketSeconds: 10,
          samples: [
            {
              at: '2026-01-01T00:00:00.000Z',
              hosts: 30,
              cpuPercent: 10,
              memTotalKiB: 4000,
              memFreeKiB: 3000,
            },
            {
              at: '2026-01-01T00:00:10.000Z',
              hosts: 30,
              cpuPercent: 40,
              memTotalKiB: 4000,
              memFreeKiB: 1000,
            },
          ],
        }),
        { status: 200 },
      ),
  );
  vi.stubGlobal('fetch', fetch);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <FleetCharts />
    </QueryClientProvider>,
  );
  expect(await screen.findByRole('img', { name: /Fleet CPU use.*Latest 40%/ })).toBeTruthy();
  expect(screen.getByRole('img', { name: /Fleet memory in use.*Latest 75%/ })).toBeTruthy();
  expect(fetch.mock.calls.map((c) => String((c as unknown[])[0]))).toEqual(['/api/v1/stats/fleet?limit=60']);
});
