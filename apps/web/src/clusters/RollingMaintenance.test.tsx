import type { Task } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { expect, it, vi } from 'vitest';
import { jsonResponse, recordingFetch, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { RollingMaintenanceDialog, RollingMaintenancePanel } from './RollingMaintenance';

resetAfterEach();

const task = {
  id: 't-1',
  type: 'cluster.rolling_maintenance',
  status: 'running',
  progress: 50,
  steps: [
    { name: 'lab-h1', objectId: 'h1', status: 'done', message: 'maintained and active again' },
    {
      name: 'lab-h2',
      objectId: 'h2',
      status: 'running',
      message: 'in maintenance, waiting for the admin: continue with …',
    },
    { name: 'lab-h3', objectId: 'h3', status: 'pending', message: 'waiting' },
  ],
  errorMessage: null,
  correlationId: 'c',
} as unknown as Task;

/** Answers the portal's requests; returns what it was sent. */
const stubApi = () =>
  recordingFetch(({ url, method }) =>
    method === 'POST'
      ? jsonResponse(url.endsWith('/continue') ? 200 : 202, { id: 't-2', status: 'queued' })
      : jsonResponse(200, url.includes('/tasks?') ? { items: [task], total: 1, limit: 1, offset: 0 } : task),
  );

it('shows the run host by host; Continue activates the host that waits for the admin', async () => {
  const calls = stubApi();
  renderWithQueries(
    <MemoryRouter>
      <RollingMaintenancePanel clusterId="c-1" />
    </MemoryRouter>,
  );
  const row = await screen.findByText('lab-h2');
  expect(row.closest('tr')?.getAttribute('data-state')).toBe('running');
  expect(screen.getByText('lab-h1').closest('tr')?.getAttribute('data-state')).toBe('done');
  expect(calls[0]!.url).toMatch(/type=cluster\.rolling_maintenance/);
  fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
  await waitFor(() =>
    expect(
      calls.some((c) => c.method === 'POST' && c.url.endsWith('/clusters/c-1/rolling-maintenance/continue')),
    ).toBe(true),
  );
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  await waitFor(() => expect(calls.some((c) => c.url.endsWith('/tasks/t-1/cancel'))).toBe(true));
});

it('the dialog starts the run with the chosen per-host action', async () => {
  const calls = stubApi();
  const onClose = vi.fn();
  renderWithQueries(
    <RollingMaintenanceDialog cluster={{ id: 'c-1', name: 'prod' }} hostCount={3} onClose={onClose} />,
  );
  fireEvent.click(screen.getByLabelText(/Wait for me/));
  fireEvent.click(screen.getByRole('button', { name: 'Start rolling maintenance' }));
  await waitFor(() => expect(onClose).toHaveBeenCalled());
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.url).toMatch(/\/clusters\/c-1\/rolling-maintenance$/);
  expect(JSON.parse(post.body!)).toEqual({ action: 'wait_for_admin' });
});
