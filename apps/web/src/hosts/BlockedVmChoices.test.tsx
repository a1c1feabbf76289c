import type { MaintenancePlan } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { recordingFetch } from '../api/fetch-stub';
import { BlockedVmChoices } from './BlockedVmChoices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const plan: MaintenancePlan = {
  hostId: 'h1',
  hostName: 'lab-h1',
  hostStatus: 'preparing_for_maintenance',
  running: [
    {
      vmId: 'p',
      vmName: 'pinned',
      memoryMib: 512,
      targetHostId: null,
      targetHostName: null,
      reason: 'VM pinned has 1 snapshot(s)',
    },
  ],
  stopped: [],
  blocked: 1,
  summary: '',
  choices: ['shutdown', 'poweroff', 'migrate'],
};

function mount(runningEvacuations: number) {
  const calls = recordingFetch(({ url, method }) => {
    const answer = url.includes('/tasks?')
      ? { items: [], total: runningEvacuations }
      : url.endsWith('/maintenance/plan')
        ? plan
        : { id: 't-1', status: 'queued' };
    return new Response(JSON.stringify(answer), {
      status: method === 'POST' ? 202 : 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <BlockedVmChoices host={{ id: 'h1', name: 'lab-h1' }} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return calls;
}

it('names the VM that keeps the host preparing and shuts it down through the maintenance choice', async () => {
  const calls = mount(0);
  const table = await screen.findByRole('table', { name: 'VMs that cannot move' });
  const row = within(table.querySelector<HTMLElement>('tr[data-vm="pinned"]')!);
  expect(row.getByText('VM pinned has 1 snapshot(s)')).toBeTruthy();
  fireEvent.click(row.getByRole('button', { name: 'Shut down' }));
  await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.url).toMatch(/\/api\/v1\/hosts\/h1\/maintenance\/resolve$/);
  expect(JSON.parse(post.body!)).toEqual({ vmId: 'p', choice: 'shutdown' });
});

it('shows nothing while an evacuation runs (its own panel tells the story)', async () => {
  const calls = mount(1);
  await vi.waitFor(() => expect(calls.some((c) => c.url.includes('/tasks?'))).toBe(true));
  await new Promise((r) => setTimeout(r, 50));
  expect(calls.some((c) => c.url.endsWith('/maintenance/plan'))).toBe(false);
  expect(screen.queryByRole('table')).toBeNull();
});
