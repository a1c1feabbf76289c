import { PoolSpec, StorageDomainType } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { poolSpecFor } from './pool-spec';

const sd = (type: StorageDomainType, connection = {}) => ({
  id: '11111111-2222-3333-4444-555555555555',
  name: 'sd1',
  type,
  path: '/srv/sd1',
  connection,
});

describe('the pool of a storage domain', () => {
  it('shared dir: an existing directory, never created', () => {
    expect(poolSpecFor(sd('dir'))).toEqual({
      type: 'dir',
      name: 'kelpie-11111111-2222-3333-4444-555555555555',
      path: '/srv/sd1',
      build: false,
    });
  });

  it('host-local dir: created on each host', () => {
    expect(poolSpecFor(sd('local'))).toMatchObject({ type: 'dir', build: true });
  });

  it('nfs: a netfs pool with server, export and options, valid for the agent', () => {
    const spec = poolSpecFor(sd('nfs', { server: 'nfs1', export: '/exports/a', options: 'vers=4.2' }));
    expect(spec).toEqual({
      type: 'netfs',
      name: 'kelpie-11111111-2222-3333-4444-555555555555',
      path: '/srv/sd1',
      server: 'nfs1',
      export: '/exports/a',
      options: 'vers=4.2',
    });
    expect(PoolSpec.safeParse(spec).success).toBe(true);
  });

  const iscsi = { portal: '10.0.0.5:3261', target: 'iqn.2026-12.org.example:store' };
  const host = { hostId: '99999999-2222-3333-4444-555555555555' };

  it("iscsi: an iscsi-direct pool logging in with the host's own initiator name", () => {
    const spec = poolSpecFor(sd('iscsi', iscsi), host);
    expect(spec).toEqual({
      type: 'iscsi-direct',
      name: 'kelpie-11111111-2222-3333-4444-555555555555',
      host: '10.0.0.5',
      port: 3261,
      target: 'iqn.2026-12.org.example:store',
      initiator: 'iqn.2026-01.io.kelpie:host.99999999-2222-3333-4444-555555555555',
    });
    expect(PoolSpec.safeParse(spec).success).toBe(true);
    expect(poolSpecFor(sd('iscsi', { ...iscsi, portal: '[fd00::5]' }), host)).toMatchObject({
      host: '[fd00::5]',
      port: 3260,
    });
  });

  it('iscsi with CHAP: the libvirt secret by UUID; none stored is a 422 naming chapSecret', () => {
    const secretUuid = '77777777-2222-3333-4444-555555555555';
    const c = { ...iscsi, chapUser: 'kelpie' };
    expect(poolSpecFor(sd('iscsi', c), { ...host, secretUuid })).toMatchObject({
      chap: { username: 'kelpie', secretUuid },
    });
    expect(() => poolSpecFor(sd('iscsi', c), host)).toThrow(/chapSecret/);
  });

  it('rbd: the Ceph pool, every monitor (default port 6789), the cephx user naming the secret by UUID', () => {
    const secretUuid = '77777777-2222-3333-4444-555555555555';
    const c = { monitors: ['10.0.0.7', '[fd00::7]:3300'], pool: 'vms', user: 'kelpie' };
    const spec = poolSpecFor(sd('rbd', c), { ...host, secretUuid });
    expect(spec).toEqual({
      type: 'rbd',
      name: 'kelpie-11111111-2222-3333-4444-555555555555',
      pool: 'vms',
      monitors: [
        { host: '10.0.0.7', port: 6789 },
        { host: 'fd00::7', port: 3300 },
      ],
      auth: { username: 'kelpie', secretUuid },
    });
    expect(PoolSpec.safeParse(spec).success).toBe(true);
    expect(() => poolSpecFor(sd('rbd', c), host)).toThrow(/connection\.key/);
  });

  it('lvm: 422, no pool yet', () => {
    expect(() => poolSpecFor(sd('lvm'))).toThrow(DomainError);
  });
});
