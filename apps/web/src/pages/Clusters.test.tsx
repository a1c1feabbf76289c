import type { Cluster } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { ClusterDetail, migrationSummary } from './Clusters';

resetAfterEach();

const cluster = {
  id: 'c-1',
  name: 'prod',
  description: '',
  datacenterId: 'dc-1',
  cpuModel: null,
  compatibilityLevel: '1',
  schedulingPolicy: 'evenly_distributed',
  switchType: 'ovs',
  migrationEncrypted: true,
  migrationPolicy: {
    autoConverge: true,
    postCopy: false,
    compressed: false,
    maxBandwidthMiBps: 100,
    maxDowntimeMs: 300,
  },
} as unknown as Cluster;

it('the cluster page shows its switch type and whether migrations are encrypted', async () => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url.startsWith('/api/v1/clusters/c-1')
        ? jsonResponse(200, cluster)
        : url.includes('/roles')
          ? jsonResponse(200, [])
          : jsonResponse(200, { items: [], total: 0, limit: 50, offset: 0 }),
    ),
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={['/clusters/c-1']}>
        <Routes>
          <Route path="/clusters/:id" element={<ClusterDetail />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(await screen.findByText('Open vSwitch')).toBeTruthy();
  expect(
    screen.getByText(/^encrypted \(TLS\) · auto-converge · ≤ 100 MiB\/s · max downtime 300 ms$/),
  ).toBeTruthy();
  expect(migrationSummary({ ...cluster, migrationEncrypted: false })).toMatch(/^unencrypted · /);
});
