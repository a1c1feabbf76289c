import type { MigrationTargets } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { MigrateDialog } from './MigrateDialog';
import { MigrationProgressView } from './MigrationProgress';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const vm = { id: 'v1', name: 'web1', clusterId: 'c1', hostId: 'h1' };
const targets: MigrationTargets = {
  vmId: 'v1',
  sourceHostId: 'h1',
  vmProblems: [],
  recommendation: 'most free memory',
  targets: [
    {
      hostId: 'h2',
      hostName: 'host-2',
      hostStatus: 'up',
      eligible: true,
      problems: [],
      freeMemoryMiB: 2048,
      recommended: true,
    },
    {
      hostId: 'h3',
      hostName: 'host-3',
      hostStatus: 'maintenance',
      eligible: false,
      problems: ['host is in maintenance'],
      freeMemoryMiB: 4096,
      recommended: false,
    },
  ],
};

function mount(fetchImpl: (url: string, init?: RequestInit) => Response) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => fetchImpl(url, init));
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MigrateDialog vm={vm} onClose={vi.fn()} />
    </QueryClientProvider>,
  );
  return fetchMock;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** `GET /migrations/t1` of a migration from h1 to h2, running unless told. */
const migrationRow = (patch: Record<string, unknown>) =>
  json({
    id: 't1',
    vmId: 'v1',
    sourceHostId: 'h1',
    targetHostId: 'h2',
    status: 'running',
    targetReason: 'requested',
    result: null,
    error: null,
    ...patch,
  });

it('offers eligible targets and shows failing ones disabled with the reason', async () => {
  mount((url) => (url.endsWith('/migrate/targets') ? json(targets) : json({ items: [], total: 0 })));
  const h3 = await screen.findByRole('radio', { name: /^host-3/ });
  expect((h3 as HTMLInputElement).disabled).toBe(true);
  expect(h3.getAttribute('aria-describedby')).toBeTruthy();
  expect(document.getElementById(h3.getAttribute('aria-describedby')!)?.textContent).toBe(
    'Not available: host is in maintenance',
  );
  expect((screen.getByRole('radio', { name: /^host-2/ }) as HTMLInputElement).disabled).toBe(false);
  expect(screen.getByRole('radio', { name: /Automatic.*scheduler picks host-2/ })).toBeTruthy();
});

it('sends the chosen target and policy, then shows the live progress', async () => {
  const fetchMock = mount((url, init) => {
    if (url.endsWith('/migrate/targets')) return json(targets);
    if (init?.method === 'POST')
      return json({ id: 't1', type: 'vm.migrate', status: 'queued', progress: 0, target: null }, 202);
    if (url.includes('/migrations/t1'))
      return migrationRow({
        progress: {
          phase: 'precopy',
          percent: 37,
          at: '',
          elapsedMs: 3000,
          dataRemaining: 64 * 1024 * 1024,
          memoryBandwidth: 32 * 1024 * 1024,
          dirtyRate: 2 * 1024 * 1024,
          iteration: 2,
        },
      });
    return json({ items: [], total: 0 });
  });
  fireEvent.click(await screen.findByRole('radio', { name: /^host-2/ }));
  fireEvent.change(screen.getByLabelText('Max bandwidth (MiB/s)'), { target: { value: '40' } });
  fireEvent.change(screen.getByLabelText('Post-copy'), { target: { value: 'on-stall' } });
  fireEvent.change(screen.getByLabelText('Auto-converge'), { target: { value: 'on' } });
  fireEvent.click(screen.getByRole('button', { name: 'Migrate' }));

  const field = (f: string) => document.querySelector(`[data-field=${f}]`)?.textContent;
  await waitFor(() => expect(field('remaining')).toBe('64.0 MiB'));
  const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!;
  expect(JSON.parse(post[1]!.body as string)).toEqual({
    targetHostId: 'h2',
    maxBandwidthMiBps: 40,
    postcopy: 'on-stall',
    autoConverge: true,
  });
  expect(screen.getByRole('progressbar', { name: 'Migration of web1' }).getAttribute('aria-valuenow')).toBe(
    '37',
  );
  expect(field('percent')).toBe('37% · precopy');
  expect(field('bandwidth')).toBe('32.0 MiB/s');
  expect(field('dirty')).toBe('2.0 MiB/s');
  expect(field('iteration')).toBe('2');
  expect(field('eta')).toBe('3 s / 2 s');
  expect(screen.getByRole('button', { name: 'Cancel migration' })).toBeTruthy();
});

it('shows a refused migration inline with the field the API names', async () => {
  mount((url, init) => {
    if (url.endsWith('/migrate/targets')) return json(targets);
    if (init?.method === 'POST')
      return json(
        {
          code: 'validation_failed',
          message: 'invalid request: maxDowntimeMs',
          details: [{ field: 'maxDowntimeMs', reason: 'must not be greater than 600000' }],
        },
        400,
      );
    return json({ items: [], total: 0 });
  });
  await screen.findByRole('radio', { name: /^host-2/ });
  fireEvent.click(screen.getByRole('button', { name: 'Migrate' }));
  const reason = await screen.findByText('must not be greater than 600000');
  const downtime = screen.getByLabelText('Max downtime (ms)');
  expect(downtime.getAttribute('aria-invalid')).toBe('true');
  expect(downtime.getAttribute('aria-describedby')).toBe(reason.id);
  expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(
    expect.arrayContaining([expect.stringContaining('invalid request: max downtime (ms)')]),
  );
});

it('follows the task (the live state the VM page shows) and ends with the final figures', async () => {
  const fetchMock = vi.fn(async (url: string) => {
    // The polled migration row lags: it still says running, 0 % completing.
    if (url.includes('/migrations/t1'))
      return migrationRow({ progress: { phase: 'completing', percent: 0, at: '', elapsedMs: 900 } });
    if (url.includes('/tasks/t1'))
      return json({
        id: 't1',
        type: 'vm.migrate',
        status: 'succeeded',
        progress: 100,
        target: null,
        result: {
          vmId: 'v1',
          sourceHostId: 'h1',
          targetHostId: 'h2',
          totalMs: 2400,
          downtimeMs: 38,
          dataTransferredBytes: 300 * 1024 * 1024,
          memoryTotalBytes: 1024 * 1024 * 1024,
          iterations: 3,
          postcopyUsed: false,
        },
      });
    return json({ items: [{ id: 'h2', name: 'host-2' }], total: 1 });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MigrationProgressView vm={vm} taskId="t1" onClose={vi.fn()} />
    </QueryClientProvider>,
  );
  const field = (f: string) => document.querySelector(`[data-field=${f}]`)?.textContent;
  await waitFor(() => expect(field('total')).toBe('2.4 s'));
  expect(field('downtime')).toBe('38 ms');
  expect(field('transferred')).toBe('300 MiB (memory 1.0 GiB)');
  expect(field('iterations')).toBe('3');
  expect(screen.getByRole('group', { name: 'Migration of web1' }).textContent).toContain('▲ succeeded');
  expect(screen.queryByRole('button', { name: 'Cancel migration' })).toBeNull();
  expect(screen.getByRole('button', { name: 'Close' })).toBeTruthy();
  expect(screen.getByRole('progressbar', { name: 'Migration of web1' }).getAttribute('aria-valuenow')).toBe(
    '100',
  );
});

it("focuses the target choice once the hosts are checked, and shows the cluster's policy in the empty fields", async () => {
  mount((url) => {
    if (url.endsWith('/migrate/targets')) return json(targets);
    if (url.startsWith('/api/v1/clusters/c1'))
      return json({
        id: 'c1',
        name: 'prod',
        migrationPolicy: {
          autoConverge: true,
          postCopy: false,
          compressed: false,
          maxBandwidthMiBps: null,
          maxDowntimeMs: 300,
        },
      });
    return json({ items: [], total: 0 });
  });
  const automatic = await screen.findByRole('radio', { name: /Automatic/ });
  await waitFor(() => expect(document.activeElement).toBe(automatic));
  await waitFor(() =>
    expect(screen.getByLabelText('Max downtime (ms)').getAttribute('placeholder')).toBe('cluster: 300'),
  );
  expect(screen.getByLabelText('Max bandwidth (MiB/s)').getAttribute('placeholder')).toBe(
    'cluster: no limit',
  );
  expect((screen.getByLabelText('Auto-converge') as HTMLSelectElement).options[0]!.text).toBe('cluster: on');
  expect((screen.getByLabelText('Post-copy') as HTMLSelectElement).options[0]!.text).toBe('cluster: off');
});
