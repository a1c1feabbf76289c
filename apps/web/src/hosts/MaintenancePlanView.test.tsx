import type { MaintenancePlan } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { MaintenancePlanView } from './MaintenancePlanView';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const plan: MaintenancePlan = {
  hostId: 'h1',
  hostName: 'lab-h1',
  hostStatus: 'up',
  running: [
    {
      vmId: 'a',
      vmName: 'a',
      memoryMib: 512,
      targetHostId: 'h2',
      targetHostName: 'lab-h2',
      reason: 'scheduler chose lab-h2',
    },
    {
      vmId: 'p',
      vmName: 'pinned',
      memoryMib: 512,
      targetHostId: null,
      targetHostName: null,
      reason: 'VM pinned has 1 snapshot(s): libvirt cannot live-migrate a domain with snapshots',
    },
  ],
  stopped: [{ vmId: 's', vmName: 'off' }],
  blocked: 1,
  summary: '',
  choices: ['shutdown', 'poweroff', 'migrate'],
};

function mount(total: number | undefined, stopped: number | undefined) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request | string) => {
      calls.push(typeof req === 'string' ? req : req.url);
      return new Response(JSON.stringify(plan), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <MaintenancePlanView hostId="h1" hostName="lab-h1" total={total} stopped={stopped} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return calls;
}

it('shows each running VM with its target or why it cannot move, counting running and stopped apart', async () => {
  // The host's VM list said 5 (stale); the plan's own counts win once it is there: 2 running, 1 stopped.
  const calls = mount(5, 0);
  const table = await screen.findByRole('table', { name: 'Maintenance plan' });
  expect(calls.some((u) => u.endsWith('/api/v1/hosts/h1/maintenance/plan'))).toBe(true);
  const row = (vm: string) => within(table.querySelector<HTMLElement>(`tr[data-vm="${vm}"]`)!);
  expect(row('a').getByText('lab-h2')).toBeTruthy();
  expect(table.querySelector('tr[data-vm="pinned"]')!.getAttribute('data-state')).toBe('blocked');
  expect(row('pinned').getByText(/libvirt cannot live-migrate a domain with snapshots/)).toBeTruthy();
  // Only running VMs are rows of the plan: the stopped one is counted, not migrated.
  expect(table.querySelector('tr[data-vm="off"]')).toBeNull();
  const text = screen.getByText(/No new VMs/).textContent ?? '';
  expect(text).toContain('Its 2 running VMs are live-migrated');
  expect(text).toContain('Its 1 stopped VM stays defined here');
  expect(screen.getByRole('note').textContent).toMatch(
    /1 running VM cannot move: lab-h1 will stay preparing for maintenance until you shut it down, pick a target, or cancel/,
  );
});

it('uses the VM list counts while the plan is computed', async () => {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => new Promise(() => undefined)),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <MaintenancePlanView hostId="h1" hostName="lab-h1" total={3} stopped={1} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  expect(screen.getByText(/Planning where each VM goes/)).toBeTruthy();
  expect(screen.getByText(/No new VMs/).textContent).toContain('Its 2 running VMs are live-migrated');
});
