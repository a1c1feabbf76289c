import type { IncomingMessage } from 'node:http';
import { Permission } from '@kelpie/shared-types';
import type { AccessRepository, HeldGrant, TreeRef } from './access.repository';
import { AccessService, Visibility } from './access.service';
import type { Principal } from '../common/identity/request-context';
import { cookieValue } from './authenticator';
import { assertSameOrigin } from './origin-check';

const vis = (over: Partial<Exclude<Visibility, 'all'>> = {}): Visibility => ({
  datacenter: new Set(),
  cluster: new Set(['c1']),
  host: new Set(['h1']),
  storage_domain: new Set(),
  network: new Set(),
  vm: new Set(['v1']),
  ...over,
});

describe('visibility of list items and stream messages', () => {
  it('keeps items of visible objects and hides the rest, unknown shapes included', () => {
    const v = vis();
    expect(AccessService.canSeeItem(v, 'vm', { id: 'v1' })).toBe(true);
    expect(AccessService.canSeeItem(v, 'vm', { id: 'v2' })).toBe(false);
    expect(AccessService.canSeeItem(v, 'disk', { vmId: 'v1' })).toBe(true);
    expect(AccessService.canSeeItem(v, 'disk', { vmId: null, storageDomainId: 's1' })).toBe(false);
    expect(AccessService.canSeeItem(v, 'task', { target: { type: 'vm', id: 'v1' } })).toBe(true);
    expect(AccessService.canSeeItem(v, 'task', { target: null })).toBe(false);
    expect(AccessService.canSeeItem('all', 'task', { target: null })).toBe(true);
  });

  it('judges a message by its VMs when it names any, else by every object of the tree', () => {
    const v = vis();
    // A VM user sees their VM's event although its host is not theirs.
    expect(
      AccessService.canSeeRefs(vis({ host: new Set() }), [
        { type: 'vm', id: 'v1' },
        { type: 'host', id: 'h9' },
      ]),
    ).toBe(true);
    // A message naming a VM of someone else is hidden even with a visible host in it.
    expect(
      AccessService.canSeeRefs(v, [
        { type: 'host', id: 'h1' },
        { type: 'vm', id: 'v9' },
      ]),
    ).toBe(false);
    expect(
      AccessService.canSeeRefs(v, [
        { type: 'vm', id: 'v1' },
        { type: 'vm', id: 'v9' },
      ]),
    ).toBe(false);
    expect(AccessService.canSeeRefs(v, [{ type: 'host', id: 'h1' }])).toBe(true);
    expect(AccessService.canSeeRefs(v, [{ type: 'task', id: 't' }])).toBe(false);
    expect(AccessService.canSeeRefs(v, [])).toBe(false);
  });
});

describe('Origin check', () => {
  const req = (method: string, headers: Record<string, string>) =>
    ({ method, headers: { host: 'kelpie:8080', ...headers }, socket: {} }) as unknown as IncomingMessage;
  const check =
    (r: IncomingMessage, o: { cookieSession?: boolean; upgrade?: boolean; trustProxy?: boolean } = {}) =>
    () =>
      assertSameOrigin(r, ['http://dev:5173'], { cookieSession: false, ...o });

  it('lets reads through and checks writes and upgrades', () => {
    expect(check(req('GET', { origin: 'https://evil' }))).not.toThrow();
    expect(check(req('POST', { origin: 'https://evil' }))).toThrow(/origin https:\/\/evil/);
    expect(check(req('GET', { origin: 'https://evil' }), { upgrade: true })).toThrow();
    expect(check(req('POST', { origin: 'http://kelpie:8080' }))).not.toThrow();
    expect(check(req('POST', { origin: 'http://dev:5173' }))).not.toThrow();
    expect(check(req('POST', { origin: 'null' }))).toThrow();
    expect(check(req('POST', { 'sec-fetch-site': 'cross-site', origin: 'http://kelpie:8080' }))).toThrow();
  });

  it('wants an Origin from a cookie session, not from a script with a token', () => {
    expect(check(req('POST', {}), { cookieSession: true })).toThrow(/Origin/);
    expect(check(req('POST', {}))).not.toThrow();
  });

  it('accepts https behind a trusted proxy only', () => {
    expect(check(req('POST', { origin: 'https://kelpie:8080' }))).toThrow();
    expect(check(req('POST', { origin: 'https://kelpie:8080' }), { trustProxy: true })).not.toThrow();
  });
});

describe('cookieValue', () => {
  it('finds one cookie among several', () => {
    expect(cookieValue('a=1; kelpie_session=abc_-; b=2', 'kelpie_session')).toBe('abc_-');
    expect(cookieValue('xkelpie_session=1', 'kelpie_session')).toBeUndefined();
    expect(cookieValue(undefined, 'kelpie_session')).toBeUndefined();
  });
});

describe('permissions on an object', () => {
  const principal = { userId: 'u', groupIds: [], readOnly: false } as unknown as Principal;
  function service(grants: HeldGrant[], chain: TreeRef[] | null) {
    const repo = { grantsOf: jest.fn(async () => grants), chain: jest.fn(async () => chain) };
    return { access: new AccessService(repo as unknown as AccessRepository), repo };
  }

  it('answers a caller with system grants only without walking the object chain', async () => {
    const { access, repo } = service(
      [{ objectType: 'system', objectId: null, permissions: [Permission.View, Permission.VmPower] }],
      [{ type: 'vm', id: 'v1' }],
    );
    expect([...(await access.permissionsOn(principal, 'disk', 'd1'))].sort()).toEqual(
      [Permission.View, Permission.VmPower].sort(),
    );
    expect(repo.chain).not.toHaveBeenCalled();
  });

  it('walks the chain for grants on objects: a grant on the VM reaches its disk, not another VM', async () => {
    const { access, repo } = service(
      [{ objectType: 'vm', objectId: 'v1', permissions: [Permission.View] }],
      [{ type: 'vm', id: 'v1' }],
    );
    expect([...(await access.permissionsOn(principal, 'disk', 'd1'))]).toEqual([Permission.View]);
    expect(repo.chain).toHaveBeenCalledWith('disk', 'd1');
    repo.chain.mockResolvedValueOnce([{ type: 'vm', id: 'v2' }]);
    await expect(access.permissionsOn(principal, 'vm', 'v2')).resolves.toEqual(new Set());
  });
});
