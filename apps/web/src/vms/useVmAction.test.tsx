import type { Vm } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionNeedsDialog, suggestedName } from './useVmAction';
import { VmActionMenu } from './VmActionMenu';
import { ACTION_ORDER } from './vmActions';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('which actions ask first', () => {
  it('names for snapshot/clone/template, the migrate dialog, confirmations for destructive ones', () => {
    const asks = Object.fromEntries(ACTION_ORDER.map((a) => [a, actionNeedsDialog(a)]));
    expect(asks).toEqual({
      start: null,
      resume: null,
      shutdown: null,
      reboot: null,
      suspend: null,
      poweroff: 'confirm',
      reset: 'confirm',
      migrate: 'migrate',
      cancelMigration: null,
      console: null,
      snapshot: 'name',
      clone: 'name',
      template: 'name',
      delete: 'confirm',
    });
    expect(suggestedName({ name: 'db' }, 'template')).toBe('db-tpl');
  });
});

const vm = {
  id: 'v1',
  name: 'db',
  status: 'down',
  clusterId: 'c1',
  hostId: null,
  isTemplate: false,
} as unknown as Vm;

it('Clone… opens a dialog (never window.prompt) and shows the API refusal inside it', async () => {
  const prompt = vi.spyOn(window, 'prompt');
  const confirm = vi.spyOn(window, 'confirm');
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'conflict', message: 'a VM named db-clone already exists' }), {
          status: 409,
        }),
    ),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <VmActionMenu vm={vm} />
    </QueryClientProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: /Actions/ }));
  fireEvent.click(screen.getByRole('menuitem', { name: 'Clone…' }));
  const dialog = screen.getByRole('dialog', { name: 'Clone db' });
  expect((screen.getByLabelText('Name of the clone') as HTMLInputElement).value).toBe('db-clone');
  fireEvent.click(screen.getByRole('button', { name: 'Clone' }));
  await waitFor(() => expect(dialog.textContent).toContain('a VM named db-clone already exists'));
  expect(prompt).not.toHaveBeenCalled();
  expect(confirm).not.toHaveBeenCalled();
  // Esc closes it and focus returns to the Actions button.
  fireEvent.keyDown(screen.getByLabelText('Name of the clone'), { key: 'Escape' });
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(document.activeElement).toBe(screen.getByRole('button', { name: /Actions/ }));
});

it('an action is the portal mutation: sent once, the VM lists and details refreshed after it', async () => {
  const posts: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') posts.push(url);
      return new Response(
        JSON.stringify(
          init?.method === 'POST'
            ? { id: 't1', type: 'vm.start', status: 'queued', progress: 0, target: null }
            : { items: [], total: 0 },
        ),
        { status: init?.method === 'POST' ? 202 : 200 },
      );
    }),
  );
  const qc = new QueryClient();
  const invalidate = vi.spyOn(qc, 'invalidateQueries');
  render(
    <QueryClientProvider client={qc}>
      <VmActionMenu vm={vm} />
    </QueryClientProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: /Actions/ }));
  fireEvent.click(screen.getByRole('menuitem', { name: 'Run' }));
  await waitFor(() =>
    expect(invalidate.mock.calls.map((c) => c[0]?.queryKey)).toEqual(
      expect.arrayContaining([['vms'], ['tasks']]),
    ),
  );
  expect(posts).toEqual(['/api/v1/vms/v1/start']);
});
