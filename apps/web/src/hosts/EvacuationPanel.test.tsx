import type { Task } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { EvacuationPanel } from './EvacuationPanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const base: Task = {
  id: 'm1',
  type: 'host.maintenance',
  target: { type: 'host', id: 'h1', name: 'h1' },
  status: 'running',
  progress: 50,
  progressMessage: 'migrating b to h3',
  steps: [
    { name: 'a', status: 'done', message: 'migrated to h2' },
    { name: 'b', status: 'running', message: 'migrating to h3' },
    { name: 'c', status: 'failed', message: 'no host can take it: not enough memory (needs 8192 MiB)' },
  ],
  result: null,
  errorCode: null,
  errorMessage: null,
  requestedBy: 'admin',
  correlationId: 'corr-1',
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
};
const migrate = (id: string, vm: string, progress: number): Task => ({
  ...base,
  id,
  type: 'vm.migrate',
  target: { type: 'vm', id: `vm-${vm}`, name: vm },
  steps: [],
  progress,
});

function mount(show: 'running' | 'finished') {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url);
      const body = url.includes('correlationId=corr-1')
        ? { items: [migrate('t-a', 'a', 100), migrate('t-b', 'b', 64)], total: 2 }
        : url.includes('type=host.maintenance')
          ? { items: [base], total: 1 }
          : base;
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <EvacuationPanel hostId="h1" show={show} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return calls;
}

it('shows a running evacuation VM by VM: target, state, progress and the failure reason', async () => {
  const calls = mount('running');
  const table = await screen.findByRole('table', { name: 'Evacuation, VM by VM' });
  const row = (vm: string) => within(table.querySelector<HTMLElement>(`tr[data-vm="${vm}"]`)!);
  await row('b').findByText('h3');
  expect(row('a').getByRole('link', { name: 'a' }).getAttribute('href')).toBe('/vms/vm-a');
  expect(row('a').getByText('migrated')).toBeTruthy();
  expect(row('a').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  expect(row('b').getByText('migrating')).toBeTruthy();
  expect(row('b').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('64');
  expect(row('c').getByText('failed')).toBeTruthy();
  expect(row('c').getByText('no host can take it: not enough memory (needs 8192 MiB)')).toBeTruthy();
  expect(screen.getByRole('heading', { name: /Evacuation in progress/ })).toBeTruthy();
  expect(calls.some((u) => u.includes('correlationId=corr-1') && u.includes('type=vm.migrate'))).toBe(true);
});

it('a running evacuation is not shown where only finished ones go', async () => {
  const calls = mount('finished');
  await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0));
  await new Promise((r) => setTimeout(r, 50));
  expect(screen.queryByRole('table')).toBeNull();
});
