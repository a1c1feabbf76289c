import type { PoolSpec } from '@kelpie/shared-types';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

/** libvirt's namespace for a netfs pool's mount options. */
const FS_NS = 'http://libvirt.org/schemas/storagepool/fs/1.0';

/**
 * libvirt storage pool XML from a typed PoolSpec, built with xmlbuilder2 (values are attributes or
 * escaped text, never spliced into markup). Each pool type only adds its `<source>`; name and target
 * are common to the file-backed types, which keeps a new type (rbd) a few lines here.
 */
export function buildPoolXml(spec: PoolSpec, uuid?: string): string {
  const pool = create({ version: '1.0' }).ele('pool', { type: spec.type });
  pool.ele('name').txt(spec.name);
  // Redefining an existing pool must name its UUID: libvirt refuses a second UUID for the name.
  if (uuid) pool.ele('uuid').txt(uuid);
  SOURCES[spec.type](pool, spec as never);
  // A block pool's volumes are LUNs reached through libiscsi: there is no directory to name.
  if ('path' in spec) pool.ele('target').ele('path').txt(spec.path);
  return pool.end({ prettyPrint: true, headless: true });
}

type SourceOf<T extends PoolSpec['type']> = (pool: XMLBuilder, spec: Extract<PoolSpec, { type: T }>) => void;

const SOURCES: { [T in PoolSpec['type']]: SourceOf<T> } = {
  dir: () => undefined,
  netfs: (pool, spec) => {
    const source = pool.ele('source');
    // libvirt wants the bare address: `[fd00::1]` is written as `fd00::1`.
    source.ele('host', { name: spec.server.replace(/^\[|\]$/g, '') });
    source.ele('dir', { path: spec.export });
    source.ele('format', { type: 'nfs' });
    if (spec.options) {
      pool.att('xmlns:fs', FS_NS);
      const opts = pool.ele(FS_NS, 'fs:mount_opts');
      for (const o of spec.options.split(',').filter(Boolean)) opts.ele(FS_NS, 'fs:option', { name: o });
    }
  },
  'iscsi-direct': (pool, spec) => {
    const source = pool.ele('source');
    source.ele('host', { name: spec.host.replace(/^\[|\]$/g, ''), port: String(spec.port) });
    source.ele('device', { path: spec.target });
    source.ele('initiator').ele('iqn', { name: spec.initiator });
    if (spec.chap) {
      source
        .ele('auth', { type: 'chap', username: spec.chap.username })
        .ele('secret', { uuid: spec.chap.secretUuid });
    }
  },
  rbd: (pool, spec) => {
    const source = pool.ele('source');
    source.ele('name').txt(spec.pool);
    for (const m of spec.monitors)
      source.ele('host', { name: m.host.replace(/^\[|\]$/g, ''), port: String(m.port) });
    source
      .ele('auth', { type: 'ceph', username: spec.auth.username })
      .ele('secret', { uuid: spec.auth.secretUuid });
  },
};

/** The libvirt secret a pool authenticates with (iSCSI CHAP or a cephx key): private (libvirt never
 * returns its value) and persistent (a host restart keeps it), its usage naming the pool it serves. */
export function buildPoolSecretXml(uuid: string, usage: string, kind: 'iscsi' | 'ceph' = 'iscsi'): string {
  const secret = create({ version: '1.0' }).ele('secret', { ephemeral: 'no', private: 'yes' });
  secret.ele('uuid').txt(uuid);
  secret.ele('description').txt(`${kind === 'ceph' ? 'cephx key' : 'CHAP secret'} of storage pool ${usage}`);
  // libvirt's usage element differs per type: an iSCSI target, a Ceph name.
  secret
    .ele('usage', { type: kind })
    .ele(kind === 'ceph' ? 'name' : 'target')
    .txt(usage);
  return secret.end({ prettyPrint: true, headless: true });
}
