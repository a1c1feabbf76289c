import { StorageDomainStatus } from '@kelpie/shared-types';
import { deriveDomainHealth, mayStart, nonOperationalReason } from './storage-health';

describe('storage domain health', () => {
  it('is active when every reporting host runs the pool (and with none yet)', () => {
    expect(deriveDomainHealth([])).toEqual({ status: 'active', reason: null });
    expect(
      deriveDomainHealth([
        { hostName: 'h1', status: 'active', error: null },
        { hostName: 'h2', status: 'active', error: null },
      ]),
    ).toEqual({ status: 'active', reason: null });
  });

  it('is degraded naming each failing host and why', () => {
    const h = deriveDomainHealth([
      { hostName: 'h3', status: 'failed', error: null },
      { hostName: 'h1', status: 'active', error: null },
      { hostName: 'h2', status: 'failed', error: "cannot open directory '/srv/a'" },
    ]);
    expect(h.status).toBe('degraded');
    expect(h.reason).toBe(
      "2 of 3 hosts can use it (h2: cannot open directory '/srv/a'; h3: pool not running)",
    );
  });

  it('says when no host can use it', () => {
    expect(deriveDomainHealth([{ hostName: 'h1', status: 'failed', error: 'x' }]).reason).toBe(
      'no host can use it (h1: x)',
    );
  });

  it('gives a host the domains it cannot reach as its non-operational reason', () => {
    expect(nonOperationalReason([])).toBeNull();
    expect(nonOperationalReason([{ domainName: 'sd1', error: 'gone' }])).toBe(
      'cannot reach storage domain sd1 (gone)',
    );
    expect(
      nonOperationalReason([
        { domainName: 'a', error: null },
        { domainName: 'b', error: 'e' },
      ]),
    ).toBe('cannot reach storage domains a (pool not running), b (e)');
  });
});

describe('storage domain lifecycle', () => {
  const S = StorageDomainStatus;
  it.each([
    ['attach', S.Detached, true],
    ['attach', S.Inactive, false],
    ['activate', S.Inactive, true],
    ['activate', S.Maintenance, true],
    ['activate', S.Unknown, true],
    ['activate', S.Detached, false],
    ['activate', S.Active, false],
    ['maintenance', S.Active, true],
    ['maintenance', S.Degraded, true],
    ['maintenance', S.Inactive, false],
    ['detach', S.Maintenance, true],
    ['detach', S.Active, false],
    ['delete', S.Detached, true],
    ['delete', S.Active, false],
    ['delete', S.Degraded, false],
    ['editLocation', S.Maintenance, true],
    ['editLocation', S.Active, false],
    ['editLocation', S.Degraded, false],
  ] as const)('%s from %s: %s', (action, from, allowed) => expect(mayStart(action, from)).toBe(allowed));
});
