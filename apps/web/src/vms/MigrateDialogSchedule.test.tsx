import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { bodyOf, calls, mount, schedule, VM } from '../schedules/schedules.test-support';
import { MigrateDialog } from './MigrateDialog';

resetAfterEach();

it('the migrate dialog schedules the migration with its policy instead of starting it', async () => {
  const f = mount(
    <MigrateDialog vm={{ id: VM, name: 'web1', clusterId: 'c1', hostId: 'h1' }} onClose={vi.fn()} />,
    (url, init) => {
      if (init?.method === 'POST' && url === '/api/v1/schedules')
        return jsonResponse(201, schedule({ action: 'vm.migrate' }));
      if (url.includes('/migrate/targets'))
        return jsonResponse(200, {
          vmId: VM,
          sourceHostId: 'h1',
          vmProblems: [],
          recommendation: 'x',
          targets: [],
        });
      if (url.startsWith('/api/v1/clusters/'))
        return jsonResponse(200, { id: 'c1', name: 'c1', migrationPolicy: null });
      return undefined;
    },
  );
  const dialog = screen.getByRole('dialog', { name: 'Migrate web1' });
  fireEvent.change(within(dialog).getByLabelText('Max downtime (ms)'), { target: { value: '300' } });
  fireEvent.click(within(dialog).getByRole('radio', { name: 'Schedule…' }));
  fireEvent.click(within(dialog).getByRole('radio', { name: 'Repeatedly (cron)' }));
  fireEvent.change(within(dialog).getByLabelText('Cron expression'), { target: { value: '0 3 * * 6' } });
  fireEvent.change(within(dialog).getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Schedule migration' }));
  await waitFor(() => expect(calls(f)).toContain('POST /api/v1/schedules'));
  expect(calls(f).some((c) => c.startsWith(`POST /api/v1/vms/${VM}/migrate`))).toBe(false);
  expect(bodyOf(f, 'POST')).toEqual({
    action: 'vm.migrate',
    vmId: VM,
    migrate: { maxDowntimeMs: 300 },
    cron: '0 3 * * 6',
    timezone: 'Europe/Berlin',
  });
});
