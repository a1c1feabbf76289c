import type { Vm } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { VmActionMenu } from './VmActionMenu';

resetAfterEach();
const json = jsonResponse;

describe('VM actions without the permission', () => {
  it('are disabled with the reason; permitted ones stay enabled', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { objectType: 'vm', objectId: 'v1', permissions: ['view', 'vm.console'] })),
    );
    const vm = {
      id: 'v1',
      name: 'db',
      status: 'up',
      clusterId: 'c1',
      hostId: 'h1',
      isTemplate: false,
    } as unknown as Vm;
    render(
      <QueryClientProvider client={new QueryClient()}>
        <VmActionMenu vm={vm} />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: /Actions/ }));
    const off = screen.getByRole('menuitem', { name: 'Power off' }) as HTMLButtonElement;
    await waitFor(() => expect(off.disabled).toBe(true));
    expect(off.title).toMatch(/lack the vm\.power permission/);
    expect((screen.getByRole('menuitem', { name: 'Console' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
