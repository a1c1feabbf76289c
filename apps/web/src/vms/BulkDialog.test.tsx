import type { Vm } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { BulkDialog } from './BulkDialog';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const vm = (id: string, name: string, status: Vm['status']) => ({ id, name, status }) as unknown as Vm;

it('runs the action on the VMs it applies to and lists every VM with its own result', async () => {
  const posts: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(url);
        if (url.includes('/vms/b/'))
          return new Response(JSON.stringify({ code: 'invalid_state', message: 'VM b is being migrated' }), {
            status: 409,
          });
        return new Response(
          JSON.stringify({
            id: 'task-a',
            type: 'vm.shutdown',
            status: 'running',
            progress: 10,
            target: null,
          }),
          { status: 202 },
        );
      }
      return new Response(JSON.stringify({ items: [], total: 0 }), { status: 200 });
    }),
  );
  const qc = new QueryClient();
  const invalidate = vi.spyOn(qc, 'invalidateQueries');
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <BulkDialog
          vms={[vm('a', 'a', 'up'), vm('b', 'b', 'up'), vm('c', 'c', 'down')]}
          action="shutdown"
          onClose={vi.fn()}
        />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const dialog = screen.getByRole('dialog', { name: 'Shut down: 3 selected VMs' });
  expect(dialog.textContent).toContain('1 skipped because their status does not allow it (c)');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Shut down 2 VMs' }));

  const results = await screen.findByRole('table', { name: 'Shut down results' });
  const row = (name: string) => within(results.querySelector<HTMLElement>(`tr[data-vm="${name}"]`)!);
  await row('b').findByText('Refused: VM b is being migrated');
  await row('a').findByRole('progressbar');
  expect(row('c').getByText(/Skipped \(down: not allowed\)/)).toBeTruthy();
  expect(posts.sort()).toEqual(['/api/v1/vms/a/shutdown', '/api/v1/vms/b/shutdown']);
  expect(screen.getByRole('status').textContent).toBe('1 accepted, 1 refused, 1 skipped');
  // Each send is the portal's mutation: the VM lists refresh after it (accepted or refused).
  expect(invalidate.mock.calls.filter((c) => c[0]?.queryKey?.[0] === 'vms')).toHaveLength(2);
});

it('bulk migrate: the scheduler per VM, or one chosen host for all', async () => {
  const bodies: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        bodies.push(init.body === undefined ? undefined : JSON.parse(init.body as string));
        return new Response(
          JSON.stringify({
            id: `t${bodies.length}`,
            type: 'vm.migrate',
            status: 'queued',
            progress: 0,
            target: null,
          }),
          {
            status: 202,
          },
        );
      }
      return new Response(
        JSON.stringify({
          items: url.includes('/hosts') ? [{ id: 'h2', name: 'host-2', status: 'up' }] : [],
          total: 1,
        }),
        { status: 200 },
      );
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <BulkDialog vms={[vm('a', 'a', 'up'), vm('b', 'b', 'up')]} action="migrate" onClose={vi.fn()} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const target = screen.getByLabelText('Target host');
  await screen.findByRole('option', { name: 'host-2' });
  fireEvent.change(target, { target: { value: 'h2' } });
  fireEvent.click(screen.getByRole('button', { name: 'Migrate 2 VMs' }));
  await screen.findByRole('table', { name: 'Migrate results' });
  await vi.waitFor(() => expect(bodies).toEqual([{ targetHostId: 'h2' }, { targetHostId: 'h2' }]));
});
