import type { CurrentUser, GrantInfo, RoleInfo, UserInfo } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { AuthContext } from '../auth/AuthGate';
import { giveTablesASize } from '../lists/tableSize.test-support';
import { GroupsPage } from './GroupsPage';
import { PermissionsButton } from './PermissionsButton';
import { PermissionsPanel } from './PermissionsPanel';
import { RolesPage } from './RolesPage';
import { TokensPage } from './TokensPage';
import { UsersPage } from './UsersPage';

resetAfterEach();
giveTablesASize();

const ADMIN: CurrentUser = {
  id: 'u-admin',
  username: 'admin',
  displayName: null,
  via: 'session',
  tokenId: null,
  systemPermissions: ['view', 'user.manage', 'host.manage'],
};
const VIEWER: CurrentUser = { ...ADMIN, id: 'u-viewer', username: 'viewer', systemPermissions: ['view'] };

const users: UserInfo[] = [
  {
    id: 'u-admin',
    username: 'admin',
    displayName: null,
    disabled: false,
    createdAt: '2026-12-01T10:00:00Z',
    passwordChangedAt: null,
    externalIssuer: null,
  },
  {
    id: 'u-bob',
    username: 'bob',
    displayName: 'Bob',
    disabled: false,
    createdAt: '2026-12-02T10:00:00Z',
    passwordChangedAt: null,
    externalIssuer: null,
  },
];
const roles: RoleInfo[] = [
  { id: 'r-su', name: 'SuperUser', permissions: ['view', 'user.manage'], builtin: true },
  { id: 'r-ro', name: 'ReadOnly', permissions: ['view'], builtin: true },
  { id: 'r-night', name: 'NightShift', permissions: ['view', 'vm.power'], builtin: false },
];
const systemGrants: GrantInfo[] = [
  {
    id: 'g1',
    principalType: 'user',
    principalId: 'u-admin',
    roleId: 'r-su',
    objectType: 'system',
    objectId: null,
    createdAt: '2026-12-01T10:00:00Z',
  },
];

/** Answers the portal's requests from a table of `METHOD /path` → [status, body]; records them. */
function stubApi(answers: Record<string, [number, unknown]>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const path = url.replace('/api/v1', '');
      calls.push({ method, path, body: init?.body ? JSON.parse(init.body as string) : undefined });
      const hit = answers[`${method} ${path}`] ?? answers[`${method} ${path.split('?')[0]}`];
      return hit
        ? jsonResponse(hit[0], hit[1])
        : jsonResponse(404, { code: 'not_found', message: `no stub for ${method} ${path}` });
    }),
  );
  return calls;
}

/** The API refusing one field. */
const refusal = (status: number, code: string, field: string, reason: string): [number, unknown] => [
  status,
  { code, message: `${field}: ${reason}`, details: [{ field, reason }] },
];

function renderAs(me: CurrentUser, ui: ReactNode) {
  return render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AuthContext.Provider value={{ me, logout: async () => undefined }}>
        <MemoryRouter>{ui}</MemoryRouter>
      </AuthContext.Provider>
    </QueryClientProvider>,
  );
}

const row = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

describe('Users page', () => {
  it('lists users with their roles on the system; creates a user with a role (user, then a system grant)', async () => {
    const calls = stubApi({
      'GET /users': [200, users],
      'GET /roles': [200, roles],
      'GET /grants': [200, systemGrants],
      'POST /users': [201, { ...users[1], id: 'u-carol', username: 'carol' }],
      'POST /grants': [201, {}],
    });
    renderAs(ADMIN, <UsersPage />);
    await waitFor(() => expect(row('admin').textContent).toContain('SuperUser'));
    expect(row('bob').textContent).toContain('–');

    fireEvent.click(screen.getByRole('button', { name: 'New user' }));
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    fireEvent.change(within(dialog).getByLabelText('Username'), { target: { value: 'carol' } });
    fireEvent.change(within(dialog).getByLabelText('Initial password'), {
      target: { value: 'a-long-password' },
    });
    fireEvent.change(within(dialog).getByLabelText('Role on the system'), {
      target: { value: 'NightShift' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create user' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const sent = calls.filter((c) => c.method === 'POST');
    expect(sent).toEqual([
      { method: 'POST', path: '/users', body: { username: 'carol', password: 'a-long-password' } },
      {
        method: 'POST',
        path: '/grants',
        body: {
          principalType: 'user',
          principalId: 'u-carol',
          role: 'NightShift',
          objectType: 'system',
          objectId: null,
        },
      },
    ]);
  });

  it('shows a refused password beside its field and keeps the dialog open', async () => {
    stubApi({
      'GET /users': [200, users],
      'GET /roles': [200, roles],
      'GET /grants': [200, systemGrants],
      'POST /users/u-bob/password': refusal(400, 'validation_failed', 'password', 'at least 12 characters'),
    });
    renderAs(ADMIN, <UsersPage />);
    await waitFor(() => row('bob'));
    fireEvent.click(within(row('bob')).getByRole('button', { name: 'Reset password' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'short' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(dialog.textContent).toContain('at least 12 characters'));
    expect(within(dialog).getByLabelText('New password').getAttribute('aria-invalid')).toBe('true');
  });

  it('deletes another user after confirmation; the admin’s own row offers no delete, with the reason', async () => {
    const calls = stubApi({
      'GET /users': [200, users],
      'GET /roles': [200, roles],
      'GET /grants': [200, systemGrants],
      'DELETE /users/u-bob': [204, undefined],
    });
    renderAs(ADMIN, <UsersPage />);
    await waitFor(() => row('bob'));
    const own = within(row('admin')).getByRole('button', { name: 'Delete' });
    expect([own.hasAttribute('disabled'), own.getAttribute('title')]).toEqual([
      true,
      'You cannot delete yourself.',
    ]);
    fireEvent.click(within(row('bob')).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete user' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.path === '/users/u-bob')).toBe(true),
    );
  });

  it('says why a disable was refused (409) instead of swallowing it', async () => {
    stubApi({
      'GET /users': [200, users],
      'GET /roles': [200, roles],
      'GET /grants': [200, systemGrants],
      'POST /users/u-bob/disable': [
        409,
        { code: 'invalid_state', message: 'this would leave no enabled user who may manage users' },
      ],
    });
    renderAs(ADMIN, <UsersPage />);
    await waitFor(() => row('bob'));
    fireEvent.click(within(row('bob')).getByRole('button', { name: 'Disable' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(
        /Not changed: .*no enabled user who may manage users/,
      ),
    );
  });

  it('for someone who may not administer users: actions disabled with the reason', () => {
    stubApi({ 'GET /users': [403, { code: 'forbidden', message: 'you lack user.manage on the system' }] });
    renderAs(VIEWER, <UsersPage />);
    const create = screen.getByRole('button', { name: 'New user' });
    expect(create.hasAttribute('disabled')).toBe(true);
    expect(create.getAttribute('title')).toMatch(/needs the user\.manage permission on the system/);
    expect(screen.getByText(/You cannot administer users/)).toBeTruthy();
  });
});

describe('API tokens page', () => {
  const tokens = [
    {
      id: 't1',
      name: 'backup',
      scope: 'read-only',
      createdAt: '2026-12-01T10:00:00Z',
      expiresAt: '2099-01-01T00:00:00Z',
      lastUsedAt: null,
      revokedAt: null,
    },
    {
      id: 't2',
      name: 'old',
      scope: 'roles',
      createdAt: '2026-11-01T10:00:00Z',
      expiresAt: '2099-01-01T00:00:00Z',
      lastUsedAt: null,
      revokedAt: '2026-11-02T10:00:00Z',
    },
  ];

  it('creates a token and shows its secret once; revokes an active one; a revoked one cannot be revoked again', async () => {
    const calls = stubApi({
      'GET /auth/tokens': [200, tokens],
      'POST /auth/tokens': [
        201,
        { ...tokens[0], id: 't3', name: 'deploy', token: 'kelpie_secret_shown_once' },
      ],
      'DELETE /auth/tokens/t1': [204, undefined],
    });
    renderAs(VIEWER, <TokensPage />);
    await waitFor(() => row('backup'));
    const again = within(row('old')).getByRole('button', { name: 'Revoke' });
    expect(again.getAttribute('title')).toBe('This token is already revoked.');

    fireEvent.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'deploy' } });
    fireEvent.change(within(dialog).getByLabelText('Expires in (days)'), { target: { value: '7' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create token' }));
    await waitFor(() =>
      expect(screen.getByLabelText('New token').textContent).toBe('kelpie_secret_shown_once'),
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'deploy',
      scope: 'read-only',
      expiresInDays: 7,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('kelpie_secret_shown_once')).toBeNull();

    fireEvent.click(within(row('backup')).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.path === '/auth/tokens/t1')).toBe(true),
    );
  });
});

describe('Groups page', () => {
  const groups = [{ id: 'g-ops', name: 'ops', memberIds: ['u-bob'] }];

  it('lists groups with their members; adds and removes a member', async () => {
    const calls = stubApi({
      'GET /users': [200, users],
      'GET /groups': [200, groups],
      'POST /groups/g-ops/members': [204, undefined],
      'DELETE /groups/g-ops/members/u-bob': [204, undefined],
    });
    renderAs(ADMIN, <GroupsPage />);
    await waitFor(() => expect(row('ops').textContent).toContain('bob'));

    fireEvent.click(within(row('ops')).getByRole('button', { name: 'Add member' }));
    const add = screen.getByRole('dialog', { name: 'Add a member to ops' });
    // Only those not yet in the group are offered.
    const options = within(add)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['choose a user', 'admin']);
    fireEvent.change(within(add).getByLabelText('User'), { target: { value: 'u-admin' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Add member' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.click(within(row('ops')).getByRole('button', { name: 'Remove member' }));
    const remove = screen.getByRole('dialog', { name: 'Remove a member from ops' });
    fireEvent.change(within(remove).getByLabelText('User'), { target: { value: 'u-bob' } });
    fireEvent.click(within(remove).getByRole('button', { name: 'Remove member' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([
      { method: 'POST', path: '/groups/g-ops/members', body: { userId: 'u-admin' } },
      { method: 'DELETE', path: '/groups/g-ops/members/u-bob', body: undefined },
    ]);
  });

  it('a user without user.manage sees why the actions are off', async () => {
    stubApi({ 'GET /groups': [200, groups] });
    renderAs(VIEWER, <GroupsPage />);
    const create = screen.getByRole('button', { name: 'New group' });
    expect(create.hasAttribute('disabled')).toBe(true);
    expect(create.getAttribute('title')).toMatch(/needs the user\.manage permission/);
  });
});

describe('Roles page', () => {
  it('lists built-in and custom roles with their permissions; searching finds a permission', async () => {
    stubApi({ 'GET /roles': [200, roles] });
    renderAs(VIEWER, <RolesPage />);
    await waitFor(() => expect(row('NightShift').textContent).toContain('custom'));
    expect(row('SuperUser').textContent).toContain('built in');
    expect(row('NightShift').textContent).toContain('vm.power');
    fireEvent.change(screen.getByLabelText('Search roles or permissions'), { target: { value: 'vm.power' } });
    await waitFor(() => expect(screen.getByTestId('list-total').textContent).toBe('1 roles'));
    // Built-in roles cannot change, and this viewer may change none.
    expect(within(row('NightShift')).getByRole('button', { name: 'Edit' }).getAttribute('title')).toMatch(
      /needs the user\.manage permission/,
    );
  });

  it('edits a custom role: its permissions ticked, the new set sent whole; built-in ones say why not', async () => {
    const calls = stubApi({
      'GET /roles': [200, roles],
      'PATCH /roles/r-night': [200, { ...roles[2], permissions: ['view', 'vm.power', 'vm.console'] }],
    });
    renderAs(ADMIN, <RolesPage />);
    await waitFor(() => expect(row('NightShift')).toBeTruthy());
    const builtinEdit = within(row('SuperUser')).getByRole('button', { name: 'Edit' });
    expect(builtinEdit.hasAttribute('disabled')).toBe(true);
    expect(builtinEdit.getAttribute('title')).toBe(
      'Built-in roles cannot be changed: create a custom role instead.',
    );

    fireEvent.click(within(row('NightShift')).getByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit role NightShift' });
    expect((within(dialog).getByLabelText('vm.power') as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText('vm.console') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(within(dialog).getByLabelText('vm.console'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save role' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([
      {
        method: 'PATCH',
        path: '/roles/r-night',
        body: { name: 'NightShift', permissions: ['view', 'vm.power', 'vm.console'] },
      },
    ]);
  });

  it('creates a role; a refused name stays beside its field with the dialog open', async () => {
    const calls = stubApi({
      'GET /roles': [200, roles],
      'POST /roles': refusal(409, 'conflict', 'name', 'already exists'),
    });
    renderAs(ADMIN, <RolesPage />);
    fireEvent.click(screen.getByRole('button', { name: 'New role' }));
    const dialog = screen.getByRole('dialog', { name: 'New role' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'ReadOnly' } });
    fireEvent.click(within(dialog).getByLabelText('vm.snapshot'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(within(dialog).getByText('already exists')).toBeTruthy());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'ReadOnly',
      permissions: ['view', 'vm.snapshot'],
    });
  });
});

describe('Permissions panel', () => {
  const onVm: GrantInfo = {
    ...systemGrants[0],
    id: 'g9',
    principalId: 'u-bob',
    roleId: 'r-ro',
    objectType: 'vm',
    objectId: 'vm1',
  };

  it('lists the grants on the object; grants a role to a user or a group there and removes a grant', async () => {
    const calls = stubApi({
      'GET /grants': [200, [onVm, { ...onVm, id: 'g10', principalType: 'group', principalId: 'g-ops' }]],
      'GET /users': [200, users],
      'GET /groups': [200, [{ id: 'g-ops', name: 'ops', memberIds: [] }]],
      'GET /grants?inherited=true&objectId=vm1&objectType=vm': [
        200,
        [...systemGrants, { ...onVm, id: 'g11', objectType: 'cluster', objectId: 'c1', roleId: 'r-night' }],
      ],
      'GET /clusters/c1': [200, { id: 'c1', name: 'prod-cluster' }],
      'GET /roles': [200, roles],
      'POST /grants': [201, {}],
      'DELETE /grants/g9': [204, undefined],
    });
    renderAs(ADMIN, <PermissionsPanel objectType="vm" objectId="vm1" objectName="web-1" />);
    await waitFor(() => expect(row('bob').textContent).toContain('ReadOnly'));
    expect(calls[0].path).toBe('/grants?objectId=vm1&objectType=vm');
    await waitFor(() => expect(row('group ops').textContent).toContain('ReadOnly'));
    const inherited = await screen.findByRole('region', { name: 'Inherited grants' });
    expect(inherited.textContent).toContain('admin: SuperUser on the system');
    // An ancestor's grant names the ancestor (and leads to it), not just its type.
    await waitFor(() => expect(inherited.textContent).toContain('bob: NightShift on prod-cluster'));
    expect(within(inherited).getByRole('link', { name: 'prod-cluster' }).getAttribute('href')).toBe(
      '/clusters/c1',
    );
    const form = screen.getByRole('form', { name: 'Grant a role' });
    fireEvent.change(within(form).getByLabelText('User or group'), { target: { value: 'user:u-bob' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'NightShift' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Grant' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        principalType: 'user',
        principalId: 'u-bob',
        role: 'NightShift',
        objectType: 'vm',
        objectId: 'vm1',
      }),
    );
    fireEvent.change(within(form).getByLabelText('User or group'), { target: { value: 'group:g-ops' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'NightShift' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Grant' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST')[1]?.body).toMatchObject({
        principalType: 'group',
        principalId: 'g-ops',
      }),
    );
    fireEvent.click(within(row('bob')).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.path === '/grants/g9')).toBe(true),
    );
  });

  it('tells someone without user.manage why they cannot see or change it, without asking the engine', () => {
    const calls = stubApi({ 'GET /roles': [200, roles] });
    renderAs(VIEWER, <PermissionsPanel objectType="cluster" objectId="c1" objectName="prod" />);
    expect(screen.getByText(/You cannot see or change who may act on prod/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Grant a role' })).toBeNull();
    expect(calls.some((c) => c.path.startsWith('/grants') || c.path === '/users')).toBe(false);
  });
});

describe('Permissions of objects without a page (storage domains, networks)', () => {
  it('opens the panel of that object in a dialog', async () => {
    const calls = stubApi({
      'GET /grants': [200, []],
      'GET /users': [200, users],
      'GET /roles': [200, roles],
    });
    renderAs(ADMIN, <PermissionsButton objectType="network" objectId="n1" objectName="ovirtmgmt" />);
    fireEvent.click(screen.getByRole('button', { name: 'Permissions on ovirtmgmt' }));
    const dialog = screen.getByRole('dialog', { name: 'Permissions on ovirtmgmt' });
    expect(within(dialog).getByRole('form', { name: 'Grant a role' })).toBeTruthy();
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/grants?objectId=n1&objectType=network')).toBe(true),
    );
  });
});
