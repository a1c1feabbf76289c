import { randomBytes, randomUUID } from 'node:crypto';
import type { EngineProcess } from './engine-process';

/** The objects of the access benchmark: one VM with a disk, a NIC, a snapshot and a migration, and
 * two tasks (the migration's, on the VM, and one on the disk). */
export interface AccessObjects {
  vm: string;
  disk: string;
  nic: string;
  snapshot: string;
  migration: string;
  diskTask: string;
}

/** Seeds the objects: the tree's top through the API, the rest in SQL (no host or agent is needed to
 * read them back). */
export async function seedAccessObjects(e: EngineProcess): Promise<AccessObjects> {
  const dc = await e.ok<{ id: string }>('POST', '/api/v1/datacenters', { name: 'access' });
  const cluster = await e.ok<{ id: string }>('POST', '/api/v1/clusters', {
    name: 'access',
    datacenterId: dc.id,
  });
  const network = await e.ok<{ id: string }>('POST', '/api/v1/networks', {
    name: 'access',
    datacenterId: dc.id,
    bridge: 'br-access',
  });
  const profiles = await e.ok<{ id: string }[] | { items: { id: string }[] }>(
    'GET',
    `/api/v1/networks/${network.id}/vnic-profiles`,
  );
  const profile = (Array.isArray(profiles) ? profiles : profiles.items)[0].id;
  const [sd, source, target, vm, disk, nic, snapshot, migration, diskTask] = Array.from({ length: 9 }, () =>
    randomUUID(),
  );
  const q = (sql: string, params: unknown[]) => e.pool.query(sql, params);
  await q(
    `INSERT INTO storage_domain (id, name, datacenter_id, type, path) VALUES ($1, 'access', $2, 'dir', '/srv/a')`,
    [sd, dc.id],
  );
  for (const [id, name] of [
    [source, 'src'],
    [target, 'dst'],
  ])
    await q(
      `INSERT INTO host (id, name, cluster_id, address, libvirt_uri) VALUES ($1, $2, $3, $2, 'qemu:///system')`,
      [id, `access-${name}`, cluster.id],
    );
  await q(
    `INSERT INTO vm (id, name, datacenter_id, cluster_id, vcpus, memory_mib, max_memory_mib, created_by, status)
     VALUES ($1, 'access', $2, $3, 1, 1024, 1024, 'seed', 'down')`,
    [vm, dc.id, cluster.id],
  );
  await q(
    `INSERT INTO disk (id, name, storage_domain_id, volume_path, format, virtual_size_bytes, vm_id, target_dev)
     VALUES ($1, 'access', $2, '/srv/a/access.qcow2', 'qcow2', 1073741824, $3, 'vda')`,
    [disk, sd, vm],
  );
  await q(
    `INSERT INTO nic (id, name, vm_id, network_id, profile_id, mac) VALUES ($1, 'nic0', $2, $3, $4, '52:54:00:00:00:01')`,
    [nic, vm, network.id, profile],
  );
  await q(`INSERT INTO snapshot (id, vm_id, name, type) VALUES ($1, $2, 'access', 'internal')`, [
    snapshot,
    vm,
  ]);
  for (const [id, type, targetType, targetId] of [
    [migration, 'vm.migrate', 'vm', vm],
    [diskTask, 'disk.resize', 'disk', disk],
  ])
    await q(
      `INSERT INTO task (id, type, target, target_type, target_id, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, 'succeeded', 'seed')`,
      [id, type, JSON.stringify({ type: targetType, id: targetId }), targetType, targetId],
    );
  await q(
    `INSERT INTO vm_migration (id, vm_id, source_host_id, target_host_id, status, policy, target_reason)
     VALUES ($1, $2, $3, $4, 'succeeded', '{}', 'seeded')`,
    [migration, vm, source, target],
  );
  return { vm, disk, nic, snapshot, migration, diskTask };
}

/** A user made through the API with `role` granted on one VM only, and an API token of theirs (the
 * admin's requests carry a token too, so both authenticate the same way). */
export async function restrictedUser(
  e: EngineProcess,
  role: string,
  vm: string,
): Promise<{ id: string; token: string }> {
  const username = `access-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const user = await e.ok<{ id: string }>('POST', '/api/v1/users', { username, password });
  await e.ok('POST', '/api/v1/grants', {
    principalType: 'user',
    principalId: user.id,
    role,
    objectType: 'vm',
    objectId: vm,
  });
  const login = await fetch(`${e.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: e.baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const token = await fetch(`${e.baseUrl}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: e.baseUrl, cookie },
    body: JSON.stringify({ name: 'bench', scope: 'roles' }),
  });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${await token.text()}`);
  return { id: user.id, token: ((await token.json()) as { token: string }).token };
}
