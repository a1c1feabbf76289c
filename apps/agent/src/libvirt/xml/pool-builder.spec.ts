import { PoolSpec } from '@kelpie/shared-types';
import { buildPoolSecretXml, buildPoolXml } from './pool-builder';
import { node, parseXml, text } from '../mapping/xml';

const parse = (spec: unknown) => {
  const xml = buildPoolXml(PoolSpec.parse(spec));
  return { xml, pool: node(parseXml(xml).pool)! };
};

describe('storage pool XML', () => {
  it('dir: name and target only', () => {
    const { pool, xml } = parse({ type: 'dir', name: 'kelpie-a', path: '/srv/images' });
    expect(pool['@_type']).toBe('dir');
    expect(text(pool.name)).toBe('kelpie-a');
    expect(text(node(pool.target)!.path)).toBe('/srv/images');
    expect(xml).not.toContain('<source');
  });

  it('netfs: NFS server, export and format, mount options in the fs namespace', () => {
    const { pool, xml } = parse({
      type: 'netfs',
      name: 'kelpie-b',
      path: '/mnt/kelpie-b',
      server: 'nfs.example.org',
      export: '/exports/vms',
      options: 'vers=4.2,soft',
    });
    expect(pool['@_type']).toBe('netfs');
    const source = node(pool.source)!;
    expect(node(source.host)!['@_name']).toBe('nfs.example.org');
    expect(node(source.dir)!['@_path']).toBe('/exports/vms');
    expect(node(source.format)!['@_type']).toBe('nfs');
    expect(text(node(pool.target)!.path)).toBe('/mnt/kelpie-b');
    expect(xml).toContain('xmlns:fs="http://libvirt.org/schemas/storagepool/fs/1.0"');
    expect(xml).toContain('<fs:option name="vers=4.2"/>');
    expect(xml).toContain('<fs:option name="soft"/>');
  });

  it('netfs: an IPv6 server in brackets is written bare, no options no namespace', () => {
    const { pool, xml } = parse({
      type: 'netfs',
      name: 'kelpie-c',
      path: '/mnt/c',
      server: '[fd00::5]',
      export: '/e',
    });
    expect(node(node(pool.source)!.host)!['@_name']).toBe('fd00::5');
    expect(xml).not.toContain('mount_opts');
  });

  const iscsi = {
    type: 'iscsi-direct',
    name: 'kelpie-d',
    host: '10.0.0.5',
    port: 3260,
    target: 'iqn.2026-12.org.example:store',
    initiator: 'iqn.2026-01.io.kelpie:host.h1',
  };

  it("iscsi-direct: portal, target device and this host's initiator, no target path", () => {
    const { pool, xml } = parse(iscsi);
    expect(pool['@_type']).toBe('iscsi-direct');
    const source = node(pool.source)!;
    expect(node(source.host)).toMatchObject({ '@_name': '10.0.0.5', '@_port': '3260' });
    expect(node(source.device)!['@_path']).toBe('iqn.2026-12.org.example:store');
    expect(node(node(source.initiator)!.iqn)!['@_name']).toBe('iqn.2026-01.io.kelpie:host.h1');
    expect(xml).not.toContain('<target');
    expect(xml).not.toContain('<auth');
  });

  it('iscsi-direct with CHAP: names the libvirt secret by UUID, never a value', () => {
    const secretUuid = '6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c';
    const { pool } = parse({ ...iscsi, chap: { username: 'kelpie', secretUuid } });
    const auth = node(node(pool.source)!.auth)!;
    expect(auth).toMatchObject({ '@_type': 'chap', '@_username': 'kelpie' });
    expect(node(auth.secret)!['@_uuid']).toBe(secretUuid);
  });

  it('the CHAP secret: private and persistent, its usage naming the pool', () => {
    const secret = node(
      parseXml(buildPoolSecretXml('6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c', 'kelpie-d')).secret,
    )!;
    expect(secret).toMatchObject({ '@_ephemeral': 'no', '@_private': 'yes' });
    expect(node(secret.usage)!['@_type']).toBe('iscsi');
    expect(text(node(secret.usage)!.target)).toBe('kelpie-d');
  });

  it('refuses iscsi specs with a malformed IQN, CHAP user or port', () => {
    expect(() => PoolSpec.parse({ ...iscsi, target: 'iqn.x"/><a' })).toThrow();
    expect(() => PoolSpec.parse({ ...iscsi, initiator: 'not-an-iqn' })).toThrow();
    expect(() => PoolSpec.parse({ ...iscsi, port: 70000 })).toThrow();
    expect(() =>
      PoolSpec.parse({
        ...iscsi,
        chap: { username: 'a b', secretUuid: '6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c' },
      }),
    ).toThrow();
  });

  const rbd = {
    type: 'rbd',
    name: 'kelpie-e',
    pool: 'vms',
    monitors: [
      { host: '10.0.0.7', port: 6789 },
      { host: '[fd00::7]', port: 3300 },
    ],
    auth: { username: 'kelpie', secretUuid: '6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c' },
  };

  it('rbd: Ceph pool name, every monitor, cephx user naming the secret by UUID, no target path', () => {
    const { pool, xml } = parse(rbd);
    expect(pool['@_type']).toBe('rbd');
    const source = node(pool.source)!;
    expect(text(source.name)).toBe('vms');
    expect(source.host).toEqual([
      expect.objectContaining({ '@_name': '10.0.0.7', '@_port': '6789' }),
      expect.objectContaining({ '@_name': 'fd00::7', '@_port': '3300' }),
    ]);
    const auth = node(source.auth)!;
    expect(auth).toMatchObject({ '@_type': 'ceph', '@_username': 'kelpie' });
    expect(node(auth.secret)!['@_uuid']).toBe(rbd.auth.secretUuid);
    expect(xml).not.toContain('<target');
  });

  it('the cephx secret: private and persistent, a ceph usage naming the pool', () => {
    const secret = node(parseXml(buildPoolSecretXml(rbd.auth.secretUuid, 'kelpie-e', 'ceph')).secret)!;
    expect(secret).toMatchObject({ '@_ephemeral': 'no', '@_private': 'yes' });
    expect(node(secret.usage)!['@_type']).toBe('ceph');
    expect(text(node(secret.usage)!.name)).toBe('kelpie-e');
  });

  it('refuses rbd specs without monitors or auth, or with names that could inject markup', () => {
    expect(() => PoolSpec.parse({ ...rbd, monitors: [] })).toThrow();
    expect(() => PoolSpec.parse({ ...rbd, auth: undefined })).toThrow();
    expect(() => PoolSpec.parse({ ...rbd, pool: 'a</name><x' })).toThrow();
    expect(() => PoolSpec.parse({ ...rbd, auth: { ...rbd.auth, username: 'client admin' } })).toThrow();
  });

  it('refuses specs that could inject markup or options', () => {
    expect(() => PoolSpec.parse({ type: 'dir', name: 'a"><x', path: '/srv/a' })).toThrow();
    expect(() =>
      PoolSpec.parse({ type: 'netfs', name: 'n', path: '/m', server: 'h', export: '/e', options: 'a b' }),
    ).toThrow();
    expect(() =>
      PoolSpec.parse({ type: 'netfs', name: 'n', path: '/m', server: 'h;rm', export: '/e' }),
    ).toThrow();
  });
});
