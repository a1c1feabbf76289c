import type { Cluster } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
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

function showCluster() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={['/clusters/c-1']}>
        <Routes>
          <Route path="/clusters/:id" element={<ClusterDetail />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const PLAN = {
  clusterId: 'c-1',
  policy: 'evenly_distributed',
  balancingEnabled: false,
  withinThresholds: false,
  summary: 'evenly distributed: h1 is over the CPU threshold (92 % > 80 %): 1 migration',
  hosts: [
    { hostId: 'h-1', hostName: 'h1', state: 'over', cpuPercent: 92.4, memoryPercent: 40, runningVms: 3 },
    { hostId: 'h-2', hostName: 'h2', state: 'ok', cpuPercent: 10, memoryPercent: 20, runningVms: 1 },
    {
      hostId: 'h-3',
      hostName: 'h3',
      state: 'excluded',
      cpuPercent: null,
      memoryPercent: 0,
      runningVms: 0,
      excludedBecause: 'in maintenance',
    },
  ],
  moves: [
    {
      vmId: 'v-1',
      vmName: 'web1',
      fromHostId: 'h-1',
      fromHostName: 'h1',
      toHostId: 'h-2',
      toHostName: 'h2',
      reason: 'h1 over 80 % CPU; h2 has the most room',
    },
  ],
  coolingDown: ['v-9'],
  powerDownCandidates: [],
};

it('the cluster page shows its switch type and whether migrations are encrypted', async () => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url.includes('/affinity-violations')
        ? jsonResponse(200, [])
        : url.includes('/balance/plan')
          ? jsonResponse(200, PLAN)
          : url.startsWith('/api/v1/clusters/c-1')
            ? jsonResponse(200, cluster)
            : url.includes('/roles')
              ? jsonResponse(200, [])
              : jsonResponse(200, { items: [], total: 0, limit: 50, offset: 0 }),
    ),
  );
  showCluster();
  expect(await screen.findByText('Open vSwitch')).toBeTruthy();
  expect(
    screen.getByText(/^encrypted \(TLS\) · auto-converge · ≤ 100 MiB\/s · max downtime 300 ms$/),
  ).toBeTruthy();
  expect(migrationSummary({ ...cluster, migrationEncrypted: false })).toMatch(/^unencrypted · /);
});

it("the cluster page shows the balancing's dry run (hosts against the thresholds, next moves) and the affinity violations", async () => {
  const violation = {
    groupId: 'g-1',
    groupName: 'db-apart',
    enforcing: true,
    vmId: 'v-2',
    vmName: 'db2',
    hostId: 'h-1',
    hostName: 'h1',
    reason: 'shares h1 with db1 of negative group db-apart',
  };
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      asked.push(url);
      if (url.includes('/affinity-violations')) return jsonResponse(200, [violation]);
      if (url.includes('/balance/plan')) return jsonResponse(200, PLAN);
      if (url.startsWith('/api/v1/clusters/c-1')) return jsonResponse(200, cluster);
      if (url.includes('/roles')) return jsonResponse(200, []);
      return jsonResponse(200, { items: [], total: 0, limit: 50, offset: 0 });
    }),
  );
  showCluster();
  const panel = await screen.findByRole('region', { name: 'Balance' });
  // The engine's summary is shown as it comes; the policy is also named in words beside it.
  await within(panel).findByText(
    'evenly distributed: h1 is over the CPU threshold (92 % > 80 %): 1 migration',
  );
  expect(within(panel).getByText(/evenly distributed policy; periodic balancing off/)).toBeTruthy();
  const hosts = within(panel).getByRole('table', { name: "Hosts against the policy's thresholds" });
  expect(
    within(hosts)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent),
  ).toEqual(['h1■ over92 %40 %3', 'h2▲ ok10 %20 %1', 'h3▼ excluded in maintenance–0 %0']);
  const moves = within(panel).getByRole('list', { name: 'Next migrations' });
  expect(moves.textContent).toBe('web1 from h1 to h2 — h1 over 80 % CPU; h2 has the most room');
  expect(within(moves).getByRole('link', { name: 'web1' }).getAttribute('href')).toBe('/vms/v-1');
  expect(within(panel).getByText('1 VM left alone: migrated within the cool-down.')).toBeTruthy();
  const broken = await within(panel).findByRole('table', { name: 'Affinity violations' });
  expect(
    within(broken)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent),
  ).toEqual(['db2db-apart (enforcing)h1shares h1 with db1 of negative group db-apart']);
  expect(asked).toEqual(
    expect.arrayContaining(['/api/v1/clusters/c-1/balance/plan', '/api/v1/clusters/c-1/affinity-violations']),
  );
});
