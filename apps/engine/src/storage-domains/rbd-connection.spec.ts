import { StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { parseMonitor, rbdLocation } from './rbd-connection';
import { checkConnection } from './storage-domains.service';

const fields = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).details?.map((d) => d.field);
  }
  return [];
};

describe('rbd connections', () => {
  const ok = { monitors: ['10.0.0.7'], pool: 'vms', user: 'kelpie', key: 'AQBm7F1nAAAAABAAZ2V0LXRoZS1rZXk=' };

  it('monitors: host and port, 6789 by default, IPv6 in brackets written bare', () => {
    expect(parseMonitor('mon1:3300')).toEqual({ host: 'mon1', port: 3300 });
    expect(parseMonitor('10.0.0.7')).toEqual({ host: '10.0.0.7', port: 6789 });
    expect(parseMonitor('[fd00::7]:6790')).toEqual({ host: 'fd00::7', port: 6790 });
    expect(rbdLocation(ok)).toBe('rbd://10.0.0.7/vms');
  });

  it('needs monitors, pool, user and key; takes no path', () => {
    expect(() => checkConnection(StorageDomainType.Rbd, ok)).not.toThrow();
    expect(fields(() => checkConnection(StorageDomainType.Rbd, {}))).toEqual([
      'connection.monitors',
      'connection.pool',
      'connection.user',
      'connection.key',
    ]);
    expect(fields(() => checkConnection(StorageDomainType.Rbd, ok, '/srv/x'))).toEqual(['path']);
    expect(fields(() => checkConnection(StorageDomainType.Rbd, { ...ok, monitors: ['m:70000'] }))).toEqual([
      'connection.monitors.0',
    ]);
  });

  it('a cephx user or key on another type is refused, CHAP on rbd too', () => {
    expect(fields(() => checkConnection(StorageDomainType.Dir, { user: 'u' }, '/srv/x'))).toEqual([
      'connection.user',
    ]);
    expect(fields(() => checkConnection(StorageDomainType.Rbd, { ...ok, chapUser: 'u' }))).toEqual([
      'connection.chapUser',
    ]);
  });
});
