import type { VmHaStatus } from '@kelpie/shared-types';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { VmHaPanel } from './VmHaPanel';

resetAfterEach();

const vm = { id: 'vm-1', status: 'up' as const, hostId: 'h-2' };

function stubHa(body: VmHaStatus) {
  const fetchMock = vi.fn(async (url: string) =>
    url.endsWith('/vms/vm-1/ha')
      ? jsonResponse(200, body)
      : jsonResponse(500, { code: 'internal', message: `unexpected ${url}` }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('VmHaPanel', () => {
  it('shows the HA state, the priority and the last restart with where it happened', async () => {
    const fetchMock = stubHa({
      highlyAvailable: true,
      priority: 70,
      state: 'protected',
      detail: 'restarted on another host if its host fails, in place if its QEMU crashes',
      lastRestart: {
        at: '2026-12-07T09:28:44.010Z',
        kind: 'other-host',
        message: 'highly available VM web1 restarted on another host',
        eventId: 'e-1',
      },
      lastFailure: null,
    });
    renderWithQueries(<VmHaPanel vm={vm} />);
    expect(await screen.findByText('Protected')).toBeTruthy();
    expect(screen.getByText('70')).toBeTruthy();
    const last = screen.getByText(/on another host, after its host was fenced/);
    expect(last.textContent).toMatch(/highly available VM web1 restarted on another host/);
    expect(last.textContent).toMatch(/2026/);
    expect(screen.queryByText('Last failed restart')).toBeNull();
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/vms/vm-1/ha');
  });

  it('says "never" and shows a failed restart with its reason', async () => {
    stubHa({
      highlyAvailable: true,
      priority: 0,
      state: 'restart-failed',
      detail: 'highly available VM web1 crashed again and is not restarted: 3 crashes in 600 s',
      lastRestart: null,
      lastFailure: {
        at: '2026-12-07T09:00:00.000Z',
        kind: 'same-host',
        message: 'highly available VM web1 crashed again and is not restarted: 3 crashes in 600 s',
        eventId: 'e-2',
      },
    });
    renderWithQueries(<VmHaPanel vm={{ ...vm, status: 'down' }} />);
    expect(await screen.findByText('Restart failed')).toBeTruthy();
    expect(screen.getByText('never')).toBeTruthy();
    expect(screen.getByText('Last failed restart')).toBeTruthy();
    expect(screen.getByText(/in place, after its QEMU crashed/)).toBeTruthy();
  });

  it('a VM that is not highly available: off, no priority', async () => {
    stubHa({
      highlyAvailable: false,
      priority: 0,
      state: 'off',
      detail: 'not highly available: nothing restarts it when its host fails',
      lastRestart: null,
      lastFailure: null,
    });
    renderWithQueries(<VmHaPanel vm={vm} />);
    expect(await screen.findByText('Off')).toBeTruthy();
    expect(screen.getByText('–')).toBeTruthy();
  });
});
