import type { Task } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, expect, it, vi } from 'vitest';
import { VmNew } from './VmNew';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const page = (items: unknown[]) => json({ items, total: items.length, limit: 500, offset: 0 });
const REASON =
  'no host fits (h1: needs 65536 MiB, only 3000 MiB uncommitted (4000 MiB − 500 MiB committed − 500 MiB reserve))';
const createTask = (over: Partial<Task>) =>
  ({
    id: 't1',
    type: 'vm.create',
    status: 'running',
    progress: 0,
    progressMessage: null,
    steps: [],
    target: { type: 'vm', id: 'vm-1', name: 'big' },
    errorCode: null,
    errorMessage: null,
    ...over,
  }) as Task;

function mount(finished: Task) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.startsWith('/api/v1/clusters')) return page([{ id: 'c1', name: 'prod', datacenterId: 'dc1' }]);
      if (url.startsWith('/api/v1/storage-domains'))
        return page([{ id: 'sd1', name: 'local', datacenterId: 'dc1' }]);
      if (url === '/api/v1/vms' && init?.method === 'POST') return json(createTask({}), 202);
      if (url.startsWith('/api/v1/tasks/t1')) return json(finished);
      return page([]);
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={['/vms/new']}>
        <Routes>
          <Route path="/vms/new" element={<VmNew />} />
          <Route path="/vms/:id" element={<h1>VM page</h1>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return calls;
}

async function fillAndSubmit() {
  await screen.findByRole('option', { name: 'local' });
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'big' } });
  fireEvent.change(screen.getByLabelText('Boot source'), { target: { value: 'disk' } });
  fireEvent.change(screen.getByLabelText('Memory (MiB)'), { target: { value: '65536' } });
  fireEvent.change(screen.getByLabelText('Storage domain'), { target: { value: 'sd1' } });
  fireEvent.change(screen.getByLabelText('Disk size (GiB)'), { target: { value: '1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Create VM' }));
}

it('a create the scheduler refuses stays on the form: reason by the memory field, focus on the summary', async () => {
  const calls = mount(
    createTask({
      status: 'failed',
      errorCode: 'unprocessable',
      errorMessage: REASON,
      progressMessage: REASON,
      steps: [{ name: 'schedule', status: 'failed', message: REASON }],
    }),
  );
  await fillAndSubmit();
  const summary = await screen.findByRole('alert', { name: 'The VM was not created' });
  await waitFor(() => expect(document.activeElement).toBe(summary));
  expect(screen.queryByText('VM page')).toBeNull();
  expect(calls).toContain('GET /api/v1/tasks/t1?wait=20000');
  // The full reason stands once, by the field, which says it is invalid; the summary links to it.
  const memory = screen.getByLabelText('Memory (MiB)');
  expect(memory.getAttribute('aria-invalid')).toBe('true');
  expect(document.getElementById(memory.getAttribute('aria-describedby')!)?.textContent).toBe(REASON);
  expect(screen.getAllByText(REASON, { exact: false })).toHaveLength(2); // field + summary link line
  const link = await screen.findByRole('link', { name: 'Memory (MiB)' });
  fireEvent.click(link);
  expect(document.activeElement).toBe(memory);
  expect((screen.getByRole('button', { name: 'Create VM' }) as HTMLButtonElement).disabled).toBe(false);
});

it('a create that succeeds opens the new VM once its task is done', async () => {
  const calls = mount(createTask({ status: 'succeeded', progress: 100 }));
  await fillAndSubmit();
  await screen.findByText('VM page');
  expect(calls.filter((c) => c.startsWith('GET /api/v1/tasks/t1'))).toHaveLength(1);
});
