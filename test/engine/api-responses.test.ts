/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { randomUUID } from 'node:crypto';
import { generateOpenApi } from '@kelpie/engine/testing';
import { apiOk, startTestEngine, TestEngine } from '../support/engine';

/**
 * What the running engine answers is what its OpenAPI document says, key for key: rows carry columns
 * the API must not show (an identity provider's subject, a task's owner and checkpoint, the index
 * copies of an event's first ref), and the mappers are what keeps them out.
 */
describe('API answers hold exactly the keys of their OpenAPI schema', () => {
  let e: TestEngine;
  let schemas: Record<string, { properties?: Record<string, unknown> }>;
  let dc: any, cluster: any, host: any, vm: any, sd: any;
  const subject = `oidc-subject-${randomUUID()}`;
  const checkpoint = `checkpoint-${randomUUID()}`;

  const ok = (method: string, path: string, body?: unknown) => apiOk(e, method, path, body);
  const documented = (schema: string) => Object.keys(schemas[schema]?.properties ?? {}).sort();
  const expectShape = (schema: string, items: any[]) => {
    expect(items.length).toBeGreaterThan(0);
    expect(documented(schema).length).toBeGreaterThan(0);
    for (const item of items) expect(Object.keys(item).sort()).toEqual(documented(schema));
  };

  beforeAll(async () => {
    schemas = (await generateOpenApi()).components!.schemas as typeof schemas;
    e = await startTestEngine();
    dc = await ok('POST', '/datacenters', { name: 'dc' });
    cluster = await ok('POST', '/clusters', { name: 'c', datacenterId: dc.id });
    host = await ok('POST', '/hosts', {
      name: 'h1',
      address: 'h1.example.com',
      libvirtUri: 'qemu:///system',
      clusterId: cluster.id,
    });
    vm = await ok('POST', '/vms', {
      name: 'v',
      clusterId: cluster.id,
      vcpus: 1,
      memoryMib: 256,
      osType: 'linux',
    });
    sd = await ok('POST', '/storage-domains', {
      name: 'local',
      datacenterId: dc.id,
      type: 'dir',
      path: '/var/lib/kelpie/images',
    });
  });
  afterAll(() => e.close());

  it('users: an identity provider’s user shows its issuer, never its subject', async () => {
    await e.sql(
      `INSERT INTO app_user (id, username, external_issuer, external_subject) VALUES ($1, 'ext', 'https://idp.example', $2)`,
      [randomUUID(), subject],
    );
    const users = await ok('GET', '/users');
    expectShape('User', users);
    expect(users.find((u: any) => u.username === 'ext').externalIssuer).toBe('https://idp.example');
    expect(JSON.stringify(users)).not.toContain(subject);
    const created = await ok('POST', '/users', { username: 'bob', password: 'a long enough passphrase 42' });
    expectShape('User', [created]);
    expectShape('User', [await ok('POST', `/users/${created.id}/disable`)]);
  });

  it('groups, roles, grants and API tokens', async () => {
    const group = await ok('POST', '/groups', { name: 'ops' });
    const groups = await ok('GET', '/groups');
    expectShape('GroupWithMembers', groups);
    // Creating answers the group without its (empty) member list.
    expect({ ...group, memberIds: [] }).toEqual(groups.find((g: any) => g.id === group.id));
    expectShape('Role', await ok('GET', '/roles'));
    expectShape('Role', [await ok('POST', '/roles', { name: 'Looker', permissions: ['view'] })]);
    expectShape('Grant', await ok('GET', '/grants'));
    expectShape('ApiToken', await ok('GET', '/auth/tokens'));
  });

  it('tasks: never the owner engine, fencing generation or adoption checkpoint', async () => {
    const id = randomUUID();
    await e.sql(
      `INSERT INTO task (id, type, target, target_type, target_id, status, requested_by, owner_engine,
                         owner_generation, checkpoint, started_at, finished_at)
       VALUES ($1, 'vm.start', $2, 'vm', $3, 'succeeded', 'admin', $4, 7, $5, now(), now())`,
      [
        id,
        JSON.stringify({ type: 'vm', id: vm.id }),
        vm.id,
        randomUUID(),
        JSON.stringify({ phase: checkpoint }),
      ],
    );
    const task = await ok('GET', `/tasks/${id}`);
    expectShape('Task', [task]);
    expect(JSON.stringify(task)).not.toContain(checkpoint);
    expectShape('Task', (await ok('GET', '/tasks')).items);
  });

  it('audit events and VM migrations', async () => {
    expectShape('AuditEvent', (await ok('GET', '/events')).items);
    const id = randomUUID();
    await e.sql(
      `INSERT INTO vm_migration (id, vm_id, source_host_id, target_host_id, status, policy, target_reason, finished_at)
       VALUES ($1, $2, $3, $4, 'succeeded', '{}', 'requested', now())`,
      [id, vm.id, host.id, randomUUID()],
    );
    const migration = await ok('GET', `/migrations/${id}`);
    expectShape('VmMigration', [migration]);
    expect(migration.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expectShape('VmMigration', (await ok('GET', '/migrations')).items);
  });

  it('storage-domain host views name their host, as the schema now says', async () => {
    await e.sql(
      `INSERT INTO storage_domain_host (storage_domain_id, host_id, status, capacity_bytes, available_bytes, checked_at)
       VALUES ($1, $2, 'active', 1000, 400, now())`,
      [sd.id, host.id],
    );
    const views = await ok('GET', `/storage-domains/${sd.id}/hosts`);
    expectShape('StorageDomainHostStatus', views);
    expect(views[0]).toMatchObject({ hostName: 'h1', capacityBytes: 1000, availableBytes: 400 });
    expect(views[0].checkedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });
});
