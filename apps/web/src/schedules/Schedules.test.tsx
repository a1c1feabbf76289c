import type { ScheduleDetail } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { giveTablesASize } from '../lists/tableSize.test-support';
import { localInputValue } from './scheduleForm';
import { bodyOf, calls, mount, schedule, VM } from './schedules.test-support';
import { ScheduleDialog } from './ScheduleDialog';
import { SchedulesPage } from './SchedulesPage';

resetAfterEach();
giveTablesASize();

it('lists schedules with their target by name and next run; past runs link to their task; cancel sends DELETE', async () => {
  const detail: ScheduleDetail = {
    ...schedule({}),
    runs: [
      {
        id: 'r2',
        dueAt: '2030-01-01T02:00:00.000Z',
        startedAt: '2030-01-01T02:00:01.000Z',
        outcome: 'refused',
        taskId: null,
        taskStatus: null,
        reason: 'VM web1 is down',
      },
      {
        id: 'r1',
        dueAt: '2029-12-31T02:00:00.000Z',
        startedAt: '2029-12-31T02:00:01.000Z',
        outcome: 'started',
        taskId: 't-9',
        taskStatus: 'succeeded',
        reason: null,
      },
    ],
  };
  const f = mount(<SchedulesPage />, (url, init) => {
    if (init?.method === 'DELETE')
      return jsonResponse(200, schedule({ state: 'cancelled', nextRunAt: null }));
    if (url === '/api/v1/schedules/s-1') return jsonResponse(200, detail);
    if (url === '/api/v1/schedules')
      return jsonResponse(200, [
        schedule({}),
        schedule({ id: 's-2', name: null, action: 'vm.start', state: 'done' }),
      ]);
    return undefined;
  });
  await screen.findByRole('button', { name: 'nightly-off' });
  expect(await screen.findAllByRole('link', { name: 'web1' })).toHaveLength(2);
  expect(screen.getAllByText('0 2 * * * (UTC)')).toHaveLength(2);
  // A finished schedule cannot be cancelled, and says why.
  const done = screen.getByRole('button', { name: 'Cancel Run' }) as HTMLButtonElement;
  expect(done.disabled).toBe(true);
  expect(done.title).toBe('This schedule is already done.');

  fireEvent.click(screen.getByRole('button', { name: 'nightly-off' }));
  const runs = await screen.findByRole('dialog', { name: 'Runs of nightly-off' });
  await within(runs).findByText('VM web1 is down');
  expect(within(runs).getByRole('link', { name: 'task succeeded' }).getAttribute('href')).toBe(
    '/tasks?task=t-9',
  );
  fireEvent.click(within(runs).getByRole('button', { name: 'Close' }));

  fireEvent.click(screen.getByRole('button', { name: 'Cancel nightly-off' }));
  const confirm = screen.getByRole('dialog', { name: 'Cancel schedule nightly-off?' });
  fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel schedule' }));
  await waitFor(() => expect(calls(f)).toContain('DELETE /api/v1/schedules/s-1'));
});

it('the state filter keeps only that state', async () => {
  mount(<SchedulesPage />, (url) =>
    url === '/api/v1/schedules'
      ? jsonResponse(200, [
          schedule({}),
          schedule({ id: 's-2', name: 'old', state: 'cancelled', nextRunAt: null }),
        ])
      : undefined,
  );
  await screen.findByRole('button', { name: 'old' });
  fireEvent.change(screen.getByRole('combobox', { name: 'State' }), { target: { value: 'cancelled' } });
  expect(await screen.findByRole('button', { name: 'old' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'nightly-off' })).toBeNull();
});

it('ScheduleDialog sends the action, the VM and an absolute time; refuses a past time at its field without sending', async () => {
  const f = mount(
    <ScheduleDialog
      objectName="web1"
      target={{ vmId: VM }}
      actions={['vm.start', 'vm.snapshot']}
      onClose={vi.fn()}
    />,
    (_url, init) =>
      init?.method === 'POST' ? jsonResponse(201, schedule({ action: 'vm.snapshot' })) : undefined,
  );
  const dialog = screen.getByRole('dialog', { name: 'Schedule an action on web1' });
  const at = within(dialog).getByLabelText('Date and time (your local time)');
  fireEvent.change(at, { target: { value: localInputValue(Date.now() - 3_600_000) } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  expect(await within(dialog).findByText('Choose a time in the future.')).toBeTruthy();
  expect(calls(f).filter((c) => c.startsWith('POST'))).toEqual([]);

  fireEvent.change(within(dialog).getByRole('combobox', { name: 'Action' }), {
    target: { value: 'vm.snapshot' },
  });
  const when = Date.now() + 2 * 3_600_000;
  fireEvent.change(at, { target: { value: localInputValue(when) } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  await waitFor(() => expect(calls(f)).toContain('POST /api/v1/schedules'));
  const body = bodyOf(f, 'POST');
  expect(body).toMatchObject({ action: 'vm.snapshot', vmId: VM, snapshotPrefix: 'web1-auto' });
  expect(new Date(body.runAt).getTime()).toBe(Math.floor(when / 60_000) * 60_000);
});

it('ScheduleDialog shows the API reason for a cron expression at the cron field', async () => {
  mount(
    <ScheduleDialog
      objectName="h1"
      target={{ hostId: VM }}
      actions={['host.maintenance']}
      onClose={vi.fn()}
    />,
    (_url, init) =>
      init?.method === 'POST'
        ? jsonResponse(400, {
            code: 'validation_failed',
            message: 'invalid',
            details: [{ field: 'cron', reason: 'runs more often than every 60 s' }],
          })
        : undefined,
  );
  const dialog = screen.getByRole('dialog');
  fireEvent.click(within(dialog).getByRole('radio', { name: 'Repeatedly (cron)' }));
  fireEvent.change(within(dialog).getByLabelText('Cron expression'), { target: { value: '* * * * * *' } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule' }));
  const input = within(dialog).getByLabelText('Cron expression');
  await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
  expect(within(dialog).getByText('runs more often than every 60 s')).toBeTruthy();
});
