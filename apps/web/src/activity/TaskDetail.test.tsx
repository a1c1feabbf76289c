import type { AuditEvent, Task } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskDetail } from './TaskDetail';
import { fmtDuration, taskMessage } from './taskText';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const task = (over: Partial<Task> = {}): Task => ({
  id: 't1',
  type: 'vm.start',
  target: { type: 'vm', id: 'vm-1', name: 'web-1' },
  status: 'succeeded',
  progress: 100,
  progressMessage: 'waiting for libvirt…',
  steps: [],
  result: null,
  errorCode: null,
  errorMessage: null,
  requestedBy: 'admin',
  correlationId: 'web-abc-1',
  createdAt: '2026-12-06T09:00:00.000Z',
  startedAt: '2026-12-06T09:00:01.000Z',
  finishedAt: '2026-12-06T09:00:03.500Z',
  ...over,
});

describe('what a task says in one line', () => {
  it('a finished task says its outcome, never its last progress message', () => {
    expect(taskMessage(task())).toEqual({ text: 'Succeeded in 2.5 s', error: false });
    expect(taskMessage(task({ status: 'failed', errorMessage: 'boom' }))).toEqual({
      text: 'boom',
      error: true,
    });
    expect(taskMessage(task({ status: 'interrupted', errorMessage: null })).text).toMatch(/^Interrupted/);
    expect(taskMessage(task({ status: 'running', finishedAt: null })).text).toBe('waiting for libvirt…');
    expect(fmtDuration(754_000)).toBe('12 min 34 s');
  });
});

const LONG =
  'no host fits (h1: needs 65536 MiB, only 3000 MiB uncommitted (4000 MiB − 500 MiB committed − 500 MiB reserve); ' +
  'h2: host is in maintenance, not up)';

it('the detail shows the whole error, the steps, the duration and the events of the request', async () => {
  const failed = task({
    type: 'vm.create',
    status: 'failed',
    errorCode: 'unprocessable',
    errorMessage: LONG,
    progressMessage: LONG,
    steps: [{ name: 'schedule', status: 'failed', message: LONG }],
  });
  const event: AuditEvent = {
    id: 'e1',
    time: '2026-12-06T09:00:03.000Z',
    severity: 'error',
    type: 'task.failed',
    message: 'vm.create of web-1 failed',
    refs: [{ type: 'vm', id: 'vm-1', name: 'web-1' }],
    correlationId: 'web-abc-1',
    actor: null,
  };
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      const body = url.startsWith('/api/v1/tasks/t1')
        ? failed
        : { items: [event], total: 1, limit: 100, offset: 0 };
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
  const onClose = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <TaskDetail taskId="t1" onClose={onClose} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const dialog = await screen.findByRole('dialog', { name: 'VM create · web-1' });
  expect((await screen.findByTestId('task-outcome')).textContent).toBe(LONG);
  expect(dialog.textContent).toContain('2.5 s');
  expect(dialog.textContent).toContain('schedule');
  expect(await screen.findByText('vm.create of web-1 failed')).toBeTruthy();
  expect(urls).toContain('/api/v1/events?correlationId=web-abc-1&limit=100&offset=0&sort=time%3Aasc');
  expect(screen.getByRole('link', { name: 'all its tasks' }).getAttribute('href')).toBe(
    '/tasks?correlationId=web-abc-1',
  );
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  fireEvent.keyDown(dialog, { key: 'Escape' });
  expect(onClose).toHaveBeenCalled();
});
