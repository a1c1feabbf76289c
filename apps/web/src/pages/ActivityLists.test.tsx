import { shortRequest } from '../activity/activityFilters';
import type { AuditEvent, Task } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { giveTablesASize } from '../lists/tableSize.test-support';
import { EventList } from './EventList';
import { TaskList } from './TaskList';

resetAfterEach();
giveTablesASize();

const REQ = 'web-m1x2-3-k9f4q2zz';
const task = {
  id: 't-1',
  type: 'vm.start',
  target: { type: 'vm', id: 'v-1', name: 'web1' },
  status: 'succeeded',
  progress: 100,
  progressMessage: null,
  steps: [],
  result: null,
  errorCode: null,
  errorMessage: null,
  requestedBy: 'admin',
  correlationId: REQ,
  createdAt: '2026-12-07T01:00:00Z',
  startedAt: '2026-12-07T01:00:00Z',
  finishedAt: '2026-12-07T01:00:03Z',
} as Task;
const event = {
  id: 'e-1',
  time: '2026-12-07T01:00:03Z',
  severity: 'info',
  type: 'vm.started',
  message: 'VM web1 started on lab-h1',
  refs: [{ type: 'vm', id: 'v-1', name: 'web1' }],
  correlationId: REQ,
  actor: null,
} as AuditEvent;

function mount(path: string) {
  const fetchMock = vi.fn(async (url: string) => {
    const items = url.startsWith('/api/v1/tasks') ? [task] : url.startsWith('/api/v1/events') ? [event] : [];
    return jsonResponse(200, { items, total: items.length, limit: 100, offset: 0 });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/tasks" element={<TaskList />} />
          <Route path="/events" element={<EventList />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const asked = (param: string) => fetchMock.mock.calls.some(([u]) => String(u).includes(param));
  return { asked };
}

it('tasks: the request column narrows to one request, shown as a chip, with a link to its events', async () => {
  const { asked } = mount('/tasks');
  fireEvent.click(await screen.findByRole('button', { name: `Only request ${shortRequest(REQ)}` }));
  await waitFor(() => expect(asked(`correlationId=${REQ}`)).toBe(true));
  expect(screen.getByRole('button', { name: 'request k9f4q2zz ✕' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Events of request k9f4q2zz →' }).getAttribute('href')).toBe(
    `/events?correlationId=${REQ}`,
  );
});

it('events: filter by object type and, from a row, by event type; a request links back to its tasks', async () => {
  const { asked } = mount(`/events?correlationId=${REQ}`);
  expect(screen.getByRole('link', { name: 'Tasks of request k9f4q2zz →' }).getAttribute('href')).toBe(
    `/tasks?correlationId=${REQ}`,
  );
  fireEvent.change(screen.getByLabelText('Object'), { target: { value: 'storage_domain' } });
  await waitFor(() => expect(asked('objectType=storage_domain')).toBe(true));
  expect([...(screen.getByLabelText('Object') as HTMLSelectElement).options].map((o) => o.text)).toContain(
    'storage domain',
  );
  fireEvent.click(await screen.findByRole('button', { name: 'vm.started' }));
  await waitFor(() => expect(asked('type=vm.started')).toBe(true));
  expect(screen.getByRole('button', { name: 'type vm.started ✕' })).toBeTruthy();
});
