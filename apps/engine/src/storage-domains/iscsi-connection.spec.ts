import { StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { initiatorIqnFor, iscsiLocation, parsePortal } from './iscsi-connection';
import { checkConnection } from './storage-domains.service';

const details = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).details;
  }
  return [];
};

describe('iscsi connections', () => {
  const ok = { portal: 'san1:3261', target: 'iqn.2026-12.org.example:store' };

  it('portal: host and port, 3260 by default, IPv6 in brackets', () => {
    expect(parsePortal('san1:3261')).toEqual({ host: 'san1', port: 3261 });
    expect(parsePortal('10.0.0.5')).toEqual({ host: '10.0.0.5', port: 3260 });
    expect(parsePortal('[fd00::5]:3262')).toEqual({ host: '[fd00::5]', port: 3262 });
  });

  it('one initiator name per host, a valid IQN', () => {
    expect(initiatorIqnFor('h-1')).toBe('iqn.2026-01.io.kelpie:host.h-1');
    expect(iscsiLocation(ok)).toBe('iscsi://san1:3261/iqn.2026-12.org.example:store');
  });

  it('needs portal and target; takes no path', () => {
    expect(() => checkConnection(StorageDomainType.Iscsi, ok)).not.toThrow();
    expect(details(() => checkConnection(StorageDomainType.Iscsi, {}))).toEqual([
      { field: 'connection.portal', reason: 'required for a iscsi storage domain' },
      { field: 'connection.target', reason: 'required for a iscsi storage domain' },
    ]);
    expect(details(() => checkConnection(StorageDomainType.Iscsi, ok, '/srv/x'))).toEqual([
      expect.objectContaining({ field: 'path' }),
    ]);
  });

  it('CHAP user and secret come together, and only for iscsi; a bad port is refused', () => {
    expect(details(() => checkConnection(StorageDomainType.Iscsi, { ...ok, chapUser: 'u' }))).toEqual([
      { field: 'connection.chapSecret', reason: 'required with a CHAP user' },
    ]);
    expect(
      details(() => checkConnection(StorageDomainType.Iscsi, { ...ok, chapSecret: 'twelve-chars' })),
    ).toEqual([{ field: 'connection.chapUser', reason: 'required with a CHAP secret' }]);
    expect(
      details(() => checkConnection(StorageDomainType.Dir, { chapUser: 'u', chapSecret: 'x' }, '/srv/a')),
    ).toEqual([expect.objectContaining({ field: 'connection.chapUser' })]);
    expect(details(() => checkConnection(StorageDomainType.Iscsi, { ...ok, portal: 'san1:99999' }))).toEqual([
      { field: 'connection.portal', reason: 'port must be 1-65535' },
    ]);
    expect(details(() => checkConnection(StorageDomainType.Dir, {}))).toEqual([
      { field: 'path', reason: 'required for a dir storage domain' },
    ]);
  });
});
