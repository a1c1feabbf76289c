/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';
const TABLES = [
  'datacenter',
  'cluster',
  'host',
  'storage_domain',
  'logical_network',
  'cluster_network',
  'vm',
  'disk',
  'nic',
  'snapshot',
  'task',
];
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Case {
  name: string;
  method: string;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code?: string;
  /** The field the error must name. */
  field?: string;
  /** What the error's message must say. */
  message?: RegExp;
}
interface Ids {
  dc: string;
  cluster: string;
  vm: string;
  sd: string;
  net: string;
  /** An internal snapshot of `vm` taken before an external one. */
  underOverlay: string;
}

const names = [
  'a<b',
  "o'brien",
  'say"hi"',
  'a&b',
  '$(reboot)',
  'a;rm -rf /',
  '../etc',
  'nul\u0000byte',
  'x'.repeat(10_000),
  '',
  ' lead',
  'tab\there',
  'ünïcode',
  'a b',
  'semi;',
  '`id`',
  'back\\slash',
  'new\nline',
];

const cases: Case[] = [
  ...names.map<Case>((name) => ({
    name: `datacenter name ${JSON.stringify(name.slice(0, 20))}`,
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name }),
    status: 400,
    code: 'validation_failed',
    field: 'name',
  })),
  ...names.slice(0, 9).map<Case>((name) => ({
    name: `VM name ${JSON.stringify(name.slice(0, 20))}`,
    method: 'POST',
    path: () => '/vms',
    body: (ids) => ({ name, clusterId: ids.cluster }),
    status: 400,
    field: 'name',
  })),
  {
    name: 'description with NUL',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: 'ok', description: 'a\u0000b' }),
    status: 400,
    field: 'description',
  },
  {
    name: 'description of 10k chars',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: 'ok', description: 'd'.repeat(10_000) }),
    status: 400,
    field: 'description',
  },
  {
    name: 'name as number',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: 42 }),
    status: 400,
    field: 'name',
  },
  {
    name: 'name as object',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: { $ne: '' } }),
    status: 400,
    field: 'name',
  },
  {
    name: 'name as array',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: ['a'] }),
    status: 400,
    field: 'name',
  },
  {
    name: 'missing name',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({}),
    status: 400,
    field: 'name',
  },
  {
    name: 'unknown field',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: 'ok', admin: true }),
    status: 400,
    field: 'admin',
  },
  {
    name: 'prototype pollution',
    method: 'POST',
    path: () => '/datacenters',
    raw: '{"name":"ok","__proto__":{"x":1}}',
    status: 400,
  },
  // Keys every object inherits once slipped through the whitelist (201 with a `constructor` object).
  ...(['constructor', 'prototype', 'toString', 'hasOwnProperty'] as const).map<Case>((key) => ({
    name: `VM body field ${key}`,
    method: 'POST',
    path: () => '/vms',
    raw: `{"name":"v-${key.toLowerCase()}","clusterId":"CLUSTER","${key}":{"name":"x"}}`,
    status: 400,
    code: 'validation_failed',
    field: key,
  })),
  {
    name: 'nested constructor in a storage connection',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) =>
      JSON.parse(
        `{"name":"s","datacenterId":"${i.dc}","type":"nfs","path":"/x","connection":{"server":"n1","export":"/e","constructor":{"a":1}}}`,
      ),
    status: 400,
    field: 'connection.constructor',
  },
  {
    name: 'constructor on an update',
    method: 'PATCH',
    path: (i) => `/datacenters/${i.dc}`,
    raw: '{"description":"d","constructor":{"prototype":{"x":1}}}',
    status: 400,
    field: 'constructor',
  },
  {
    name: 'constructor as a query parameter',
    method: 'GET',
    path: () => '/vms?constructor=x',
    status: 400,
  },
  ...[
    '/',
    '//',
    '/etc',
    '/usr/share/images',
    '/boot',
    '/root/x',
    '/proc',
    '/sys/x',
    '/dev',
    '/run/kelpie',
    '/var',
  ].map<Case>((path) => ({
    name: `storage path ${path}`,
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'dir', path }),
    status: 400,
    code: 'validation_failed',
    field: 'path',
  })),
  ...['/', '/etc/kelpie'].map<Case>((path) => ({
    name: `storage path ${path} on an edit`,
    method: 'PATCH',
    path: (i) => `/storage-domains/${i.sd}`,
    body: () => ({ path }),
    status: 400,
    code: 'validation_failed',
    field: 'path',
  })),
  {
    name: 'invalid JSON',
    method: 'POST',
    path: () => '/datacenters',
    raw: '{"name": "ok",',
    status: 400,
    field: 'body',
  },
  {
    name: 'JSON array body',
    method: 'POST',
    path: () => '/datacenters',
    raw: '[{"name":"ok"}]',
    status: 400,
  },
  { name: 'JSON string body', method: 'POST', path: () => '/datacenters', raw: '"ok"', status: 400 },
  {
    name: 'body over 1 MB',
    method: 'POST',
    path: () => '/datacenters',
    body: () => ({ name: 'ok', description: 'x'.repeat(1_100_000) }),
    status: 413,
    field: 'body',
  },
  {
    name: 'vcpus negative',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, vcpus: -1 }),
    status: 400,
    field: 'vcpus',
  },
  {
    name: 'vcpus zero',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, vcpus: 0 }),
    status: 400,
    field: 'vcpus',
  },
  {
    name: 'vcpus huge',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, vcpus: 1e12 }),
    status: 400,
    field: 'vcpus',
  },
  {
    name: 'vcpus fractional',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, vcpus: 1.5 }),
    status: 400,
    field: 'vcpus',
  },
  {
    name: 'vcpus as string',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, vcpus: '2' }),
    status: 400,
    field: 'vcpus',
  },
  {
    name: 'memory too small',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, memoryMib: 8 }),
    status: 400,
    field: 'memoryMib',
  },
  {
    name: 'memory beyond 4 TiB',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, memoryMib: 4194305 }),
    status: 400,
    field: 'memoryMib',
  },
  {
    name: 'memory 2^53',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, memoryMib: 2 ** 53 }),
    status: 400,
    field: 'memoryMib',
  },
  {
    name: 'boot order unknown device',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, bootOrder: ['floppy'] }),
    status: 400,
    field: 'bootOrder',
  },
  {
    name: 'boot order duplicates',
    method: 'POST',
    path: () => '/vms',
    body: (i) => ({ name: 'v', clusterId: i.cluster, bootOrder: ['hd', 'hd'] }),
    status: 400,
    field: 'bootOrder',
  },
  {
    name: 'clusterId not a UUID',
    method: 'POST',
    path: () => '/vms',
    body: () => ({ name: 'v', clusterId: "1' OR '1'='1" }),
    status: 400,
    field: 'clusterId',
  },
  {
    name: 'clusterId missing cluster',
    method: 'POST',
    path: () => '/vms',
    body: () => ({ name: 'v', clusterId: MISSING }),
    status: 404,
    field: 'clusterId',
  },
  {
    name: 'VM status is not writable',
    method: 'PATCH',
    path: (i) => `/vms/${i.vm}`,
    body: () => ({ status: 'up' }),
    status: 400,
    field: 'status',
  },
  {
    name: 'VM createdBy is not writable',
    method: 'PATCH',
    path: (i) => `/vms/${i.vm}`,
    body: () => ({ createdBy: 'root' }),
    status: 400,
    field: 'createdBy',
  },
  {
    name: 'disk size negative',
    method: 'POST',
    path: () => '/disks',
    body: (i) => ({ name: 'd', storageDomainId: i.sd, virtualSizeBytes: -1 }),
    status: 400,
    field: 'virtualSizeBytes',
  },
  {
    name: 'disk size 1 EiB',
    method: 'POST',
    path: () => '/disks',
    body: (i) => ({ name: 'd', storageDomainId: i.sd, virtualSizeBytes: 2 ** 60 }),
    status: 400,
    field: 'virtualSizeBytes',
  },
  {
    name: 'disk targetDev injection',
    method: 'POST',
    path: () => '/disks',
    body: (i) => ({
      name: 'd',
      storageDomainId: i.sd,
      virtualSizeBytes: 2 ** 30,
      vmId: i.vm,
      targetDev: "vda'/><x",
    }),
    status: 400,
    field: 'targetDev',
  },
  {
    name: 'storage path traversal',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'dir', path: '/var/../etc' }),
    status: 400,
    field: 'path',
  },
  {
    name: 'storage path relative',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'dir', path: 'images' }),
    status: 400,
    field: 'path',
  },
  {
    name: 'storage path shell',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'dir', path: '/x;reboot' }),
    status: 400,
    field: 'path',
  },
  {
    name: 'storage type unknown',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'ftp', path: '/x' }),
    status: 400,
    field: 'type',
  },
  {
    name: 'nested connection unknown field',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({ name: 's', datacenterId: i.dc, type: 'dir', path: '/x', connection: { password: 'p' } }),
    status: 400,
    field: 'connection.password',
  },
  {
    name: 'nfs server injection',
    method: 'POST',
    path: () => '/storage-domains',
    body: (i) => ({
      name: 's',
      datacenterId: i.dc,
      type: 'nfs',
      path: '/x',
      connection: { server: 'a;b', export: '/e' },
    }),
    status: 400,
    field: 'connection.server',
  },
  {
    name: 'VLAN 0',
    method: 'POST',
    path: () => '/networks',
    body: (i) => ({ name: 'n', datacenterId: i.dc, bridge: 'br0', vlanId: 0 }),
    status: 400,
    field: 'vlanId',
  },
  {
    name: 'VLAN 4095',
    method: 'POST',
    path: () => '/networks',
    body: (i) => ({ name: 'n', datacenterId: i.dc, bridge: 'br0', vlanId: 4095 }),
    status: 400,
    field: 'vlanId',
  },
  {
    name: 'bridge too long',
    method: 'POST',
    path: () => '/networks',
    body: (i) => ({ name: 'n', datacenterId: i.dc, bridge: 'b'.repeat(16) }),
    status: 400,
    field: 'bridge',
  },
  {
    name: 'MTU tiny',
    method: 'POST',
    path: () => '/networks',
    body: (i) => ({ name: 'n', datacenterId: i.dc, bridge: 'br0', mtu: 10 }),
    status: 400,
    field: 'mtu',
  },
  {
    name: 'MAC multicast',
    method: 'POST',
    path: () => '/nics',
    body: (i) => ({ vmId: i.vm, networkId: i.net, mac: '01:00:5e:00:00:01' }),
    status: 400,
    field: 'mac',
  },
  {
    name: 'MAC garbage',
    method: 'POST',
    path: () => '/nics',
    body: (i) => ({ vmId: i.vm, networkId: i.net, mac: 'zz:zz' }),
    status: 400,
    field: 'mac',
  },
  {
    name: 'host address injection',
    method: 'POST',
    path: () => '/hosts',
    body: (i) => ({ name: 'h', clusterId: i.cluster, address: 'h;reboot', libvirtUri: 'qemu:///system' }),
    status: 400,
    field: 'address',
  },
  {
    name: 'libvirt URI with shell',
    method: 'POST',
    path: () => '/hosts',
    body: (i) => ({
      name: 'h',
      clusterId: i.cluster,
      address: 'h1',
      libvirtUri: 'qemu+ssh://root@h1/system?command=$(id)',
    }),
    status: 400,
    field: 'libvirtUri',
  },
  {
    name: 'libvirt URI other scheme',
    method: 'POST',
    path: () => '/hosts',
    body: (i) => ({ name: 'h', clusterId: i.cluster, address: 'h1', libvirtUri: 'http://h1/system' }),
    status: 400,
    field: 'libvirtUri',
  },
  {
    name: 'migration policy bad nested type',
    method: 'PATCH',
    path: (i) => `/clusters/${i.cluster}`,
    body: () => ({ migrationPolicy: { maxDowntimeMs: 'fast' } }),
    status: 400,
    field: 'migrationPolicy.maxDowntimeMs',
  },
  { name: 'bad UUID in path', method: 'GET', path: () => '/vms/not-a-uuid', status: 400, field: 'id' },
  { name: 'SQL in path', method: 'GET', path: () => "/vms/1'%20OR%201=1--", status: 400, field: 'id' },
  { name: 'missing VM', method: 'GET', path: () => `/vms/${MISSING}`, status: 404, code: 'not_found' },
  {
    name: 'PATCH missing VM',
    method: 'PATCH',
    path: () => `/vms/${MISSING}`,
    body: () => ({ vcpus: 2 }),
    status: 404,
  },
  {
    name: 'DELETE bad UUID',
    method: 'DELETE',
    path: () => '/datacenters/..%2F..%2Fetc',
    status: 400,
    field: 'id',
  },
  { name: 'limit 0', method: 'GET', path: () => '/vms?limit=0', status: 400, field: 'limit' },
  { name: 'limit 501', method: 'GET', path: () => '/vms?limit=501', status: 400, field: 'limit' },
  { name: 'limit not a number', method: 'GET', path: () => '/vms?limit=ten', status: 400, field: 'limit' },
  { name: 'offset negative', method: 'GET', path: () => '/vms?offset=-1', status: 400, field: 'offset' },
  {
    name: 'sort injection',
    method: 'GET',
    path: () => '/vms?sort=name;DROP%20TABLE%20vm',
    status: 400,
    field: 'sort',
  },
  { name: 'sort unknown field', method: 'GET', path: () => '/vms?sort=password', status: 400, field: 'sort' },
  { name: 'q with NUL', method: 'GET', path: () => '/vms?q=a%00b', status: 400, field: 'q' },
  { name: 'q too long', method: 'GET', path: () => `/vms?q=${'q'.repeat(100)}`, status: 400, field: 'q' },
  {
    name: 'status filter unknown',
    method: 'GET',
    path: () => '/vms?status=exploded',
    status: 400,
    field: 'status',
  },
  { name: 'unknown query parameter', method: 'GET', path: () => '/vms?admin=1', status: 400, field: 'admin' },
  {
    name: 'repeated query parameter',
    method: 'GET',
    path: () => '/vms?limit=1&limit=2',
    status: 400,
    field: 'limit',
  },
  {
    name: 'clusterId filter not a UUID',
    method: 'GET',
    path: () => '/vms?clusterId=x',
    status: 400,
    field: 'clusterId',
  },
  {
    name: 'task wait too long',
    method: 'GET',
    path: () => `/tasks/${MISSING}?wait=600000`,
    status: 400,
    field: 'wait',
  },
  {
    name: 'events since not a date',
    method: 'GET',
    path: () => '/events?since=yesterday',
    status: 400,
    field: 'since',
  },
  {
    name: 'stream types unknown',
    method: 'GET',
    path: () => '/events/stream?types=everything',
    status: 400,
    field: 'types',
  },
  {
    name: 'delete datacenter with children',
    method: 'DELETE',
    path: (i) => `/datacenters/${i.dc}`,
    status: 409,
    code: 'has_children',
  },
  {
    name: 'delete cluster with VMs',
    method: 'DELETE',
    path: (i) => `/clusters/${i.cluster}`,
    status: 409,
    code: 'has_children',
  },
  {
    name: 'delete network with NICs',
    method: 'DELETE',
    path: (i) => `/networks/${i.net}`,
    status: 409,
    code: 'has_children',
  },
  {
    name: 'delete an internal snapshot older than an external one (before any task, nothing sent to a host)',
    method: 'DELETE',
    path: (i) => `/vms/${i.vm}/snapshots/${i.underOverlay}`,
    status: 409,
    code: 'invalid_state',
    message: /internal snapshot before-ext .*external snapshot ext .*delete \(merge\) ext first/i,
  },
  {
    name: 'text/plain body',
    method: 'POST',
    path: () => '/datacenters',
    raw: 'name=ok',
    headers: { 'content-type': 'text/plain' },
    status: 400,
  },
];

describe('bad input gets the right 4xx, names the field and changes nothing', () => {
  let e: TestEngine;
  let ids: Ids;

  const counts = async () => {
    const rows = await e.sql<{ t: string; n: number }>(
      TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  };

  beforeAll(async () => {
    e = await startTestEngine();
    const mk = async (path: string, body: unknown) =>
      (await e.api('POST', `${V1}${path}`, body)).body.id as string;
    const dc = await mk('/datacenters', { name: 'dc' });
    const cluster = await mk('/clusters', { name: 'c', datacenterId: dc });
    const sd = await mk('/storage-domains', {
      name: 'sd',
      datacenterId: dc,
      type: 'dir',
      path: '/srv/images',
    });
    const net = await mk('/networks', { name: 'net', datacenterId: dc, bridge: 'br-net' });
    const vm = await mk('/vms', { name: 'vm', clusterId: cluster });
    await mk('/nics', { vmId: vm, networkId: net });
    // Snapshot records as a host would have left them (no lab here): internal, then external on top.
    const [underOverlay] = await e.sql<{ id: string }>(
      `INSERT INTO snapshot (id, vm_id, name, type, created_at)
         VALUES (gen_random_uuid(), $1, 'before-ext', 'internal', now() - interval '2 minutes'),
                (gen_random_uuid(), $1, 'ext', 'external', now() - interval '1 minute')
       RETURNING id::text`,
      [vm],
    );
    ids = { dc, cluster, sd, net, vm, underOverlay: underOverlay!.id };
  });
  afterAll(async () => e.close());

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await counts();
    const body = c.raw?.replace('CLUSTER', ids.cluster) ?? (c.body ? c.body(ids) : undefined);
    const res = await e.api(c.method, `${V1}${c.path(ids)}`, body, c.headers);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status });
    expect(res.body).toEqual(
      expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    );
    if (c.code) expect(res.body.code).toBe(c.code);
    if (c.field) expect(res.body.details?.map((d: any) => d.field)).toContain(c.field);
    if (c.message) expect(res.body.message).toMatch(c.message);
    expect(await counts()).toEqual(before);
  });

  it('refused edits left the storage domain and the datacenter as they were', async () => {
    const [sd] = await e.sql<{ path: string }>(`SELECT path FROM storage_domain WHERE id = $1`, [ids.sd]);
    expect(sd!.path).toBe('/srv/images');
    const [dc] = await e.sql<{ description: string }>(`SELECT description FROM datacenter WHERE id = $1`, [
      ids.dc,
    ]);
    expect(dc!.description).toBe('');
  });

  it('answered every case without a 5xx and the engine is still healthy', async () => {
    expect((await e.api('GET', `${V1}/health`)).status).toBe(200);
    const errors = await e.sql(`SELECT count(*)::int AS n FROM event WHERE severity = 'error'`);
    expect(errors[0].n).toBe(0);
  });
});
