import type { PowerManagement } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { powerManagementBody } from './PowerManagementDialog';
import { PowerManagementPanel } from './PowerManagementPanel';

resetAfterEach();

const host = { id: 'h-1', name: 'kvm1' };
const stored: PowerManagement = {
  type: 'ipmilan',
  address: '192.0.2.110',
  port: 623,
  username: 'admin',
  passwordSet: true,
  lanplus: true,
  cipher: null,
  updatedAt: '2026-01-01T00:00:00Z',
};

type Route = (method: string, url: string, body: unknown) => Response | undefined;
/** Answers the panel's requests: permissions, settings, history, then whatever `route` says. */
function stubApi(perms: string[], settings: PowerManagement | null, route: Route = () => undefined) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(init.body as string) : undefined;
    const answer = route(method, url, body);
    if (answer) return answer;
    if (url.includes('/auth/permissions')) return jsonResponse(200, { permissions: perms });
    if (url.includes('/events'))
      return jsonResponse(200, {
        items: [
          { id: 'e1', time: '2026-01-02T00:00:00Z', type: 'host.fence_result', message: 'kvm1 powered off' },
          { id: 'e2', time: '2026-01-02T00:00:00Z', type: 'host.status', message: 'kvm1 is up' },
        ],
        total: 2,
      });
    if (url.endsWith('/hosts/h-1/power-management') && method === 'GET')
      return settings
        ? jsonResponse(200, settings)
        : jsonResponse(404, { code: 'not_found', message: 'none' });
    return jsonResponse(500, { code: 'internal', message: `unexpected ${method} ${url}` });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const wrap = () => renderWithQueries(<PowerManagementPanel host={host} />);

describe('PowerManagementPanel', () => {
  it('sets up a BMC: sends the settings, shows the reason beside the field the engine refused', async () => {
    const fetchMock = stubApi(['view', 'host.manage'], null, (method) =>
      method === 'PUT'
        ? jsonResponse(400, {
            code: 'validation_failed',
            message: 'invalid input: username',
            details: [{ field: 'username', reason: 'username must be 1-16 printable ASCII characters' }],
          })
        : undefined,
    );
    wrap();
    expect(await screen.findByText(/Not set up/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Set up' }));
    fireEvent.change(screen.getByLabelText('BMC address'), { target: { value: ' 192.0.2.110 ' } });
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'a very long user name' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText('User').getAttribute('aria-invalid')).toBe('true'));
    const put = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'PUT')!;
    expect(put[0]).toBe('/api/v1/hosts/h-1/power-management');
    expect(JSON.parse((put[1] as RequestInit).body as string)).toEqual({
      type: 'ipmilan',
      address: '192.0.2.110',
      port: 623,
      username: 'a very long user name',
      password: 's3cret',
      lanplus: true,
    });
  });

  it('shows the stored settings (never a password), the BMC test result or its reason, and fencing history', async () => {
    let answer = jsonResponse(200, { powerStatus: 'on', detail: 'Status: ON' });
    const fetchMock = stubApi(['view', 'host.manage'], stored, (method, url) =>
      method === 'POST' && url.endsWith('/power-management/test') ? answer : undefined,
    );
    wrap();
    expect(await screen.findByText('192.0.2.110:623')).toBeTruthy();
    expect(screen.getByText('stored (encrypted)')).toBeTruthy();
    expect(await screen.findByText(/kvm1 powered off/)).toBeTruthy();
    expect(screen.queryByText(/kvm1 is up/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/power is on \(Status: ON\)/);
    answer = jsonResponse(422, {
      code: 'unprocessable',
      message: 'the BMC refused the password: check password',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/refused the password/);
    expect(fetchMock.mock.calls.filter(([u]) => String(u).endsWith('/test'))).toHaveLength(2);
  });

  it('without host.manage, says so and never asks for the settings', async () => {
    const fetchMock = stubApi(['view'], stored);
    wrap();
    expect(await screen.findByText(/lack the host.manage permission on this host/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Set up|Edit/ })).toBeNull();
    expect(fetchMock.mock.calls.some(([u]) => String(u).includes('/power-management'))).toBe(false);
  });
});

describe('powerManagementBody', () => {
  it('keeps the stored password when none is typed, and sends a mistyped number as typed', () => {
    expect(
      powerManagementBody({
        address: 'bmc1',
        port: '',
        username: 'admin',
        password: '',
        lanplus: false,
        cipher: 'three',
      }),
    ).toEqual({ type: 'ipmilan', address: 'bmc1', username: 'admin', lanplus: false, cipher: 'three' });
  });
});
