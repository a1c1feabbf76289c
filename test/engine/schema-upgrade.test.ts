import { DataSource, dataSourceOptions } from '@kelpie/engine/testing';
import { randomUUID } from 'node:crypto';
import { startTestEngine, TestEngine } from '../support/engine';
import { createTestDatabase, TestDatabase } from '../support/services';

/**
 * An upgrade, as an operator runs it: a database written by an older engine (the schema of the
 * first release, before hosts joined over SSH, identity and fenced tasks), with data in it, then the
 * current engine boots on it. It must migrate in place, keep every row, and end with exactly the
 * schema its entities declare.
 */
const RELEASE_SCHEMA_LAST = 'DiskActiveImage1767700000400';

const ids = {
  dc: randomUUID(),
  cluster: randomUUID(),
  host: randomUUID(),
  sd: randomUUID(),
  vm: randomUUID(),
  disk: randomUUID(),
  task: randomUUID(),
  event: randomUUID(),
};

/** Rows in the columns the old schema had (never the current entities: they may differ). */
const OLD_ROWS = `
  INSERT INTO datacenter (id, name) VALUES ('${ids.dc}', 'up-dc');
  INSERT INTO cluster (id, name, datacenter_id, migration_policy)
    VALUES ('${ids.cluster}', 'up-cluster', '${ids.dc}', '{"maxDowntimeMs": 300}');
  INSERT INTO host (id, name, cluster_id, address, libvirt_uri, status, status_reason, last_heartbeat_at)
    VALUES ('${ids.host}', 'up-host', '${ids.cluster}', '192.0.2.20', 'qemu+tcp://192.0.2.20/system',
            'maintenance', 'kernel update', now() - interval '1 day');
  INSERT INTO storage_domain (id, name, datacenter_id, type, path, status)
    VALUES ('${ids.sd}', 'up-sd', '${ids.dc}', 'dir', '/var/lib/kelpie/images', 'active');
  INSERT INTO vm (id, name, datacenter_id, cluster_id, vcpus, memory_mib, max_memory_mib, created_by, boot)
    VALUES ('${ids.vm}', 'up-vm', '${ids.dc}', '${ids.cluster}', 2, 512, 1024, 'admin',
            '{"kind": "disk"}');
  INSERT INTO disk (id, name, storage_domain_id, volume_path, format, virtual_size_bytes, bootable, vm_id,
                    target_dev, provisioned_at, active_image_path)
    VALUES ('${ids.disk}', 'up-disk', '${ids.sd}', '/var/lib/kelpie/images/${ids.disk}.qcow2', 'qcow2',
            1073741824, true, '${ids.vm}', 'vda', now(), '/var/lib/kelpie/images/${ids.disk}.qcow2');
  INSERT INTO task (id, type, target, target_type, target_id, status, progress, requested_by,
                    correlation_id, finished_at)
    VALUES ('${ids.task}', 'vm.create', '{"type": "vm", "id": "${ids.vm}", "name": "up-vm"}', 'vm',
            '${ids.vm}', 'succeeded', 100, 'admin', 'corr-before-upgrade', now());
  INSERT INTO event (id, severity, type, message, correlation_id, object_type, object_id)
    VALUES ('${ids.event}', 'info', 'vm.created', 'VM up-vm created before the upgrade',
            'corr-before-upgrade', 'vm', '${ids.vm}');
`;

let db: TestDatabase;
let engine: TestEngine;
let pending: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  const options = dataSourceOptions(db.url);
  const all = options.migrations as (new () => object)[];
  const cut = all.findIndex((m) => m.name === RELEASE_SCHEMA_LAST) + 1;
  expect(cut).toBeGreaterThan(0);
  pending = all.slice(cut).map((m) => m.name);
  const old = new DataSource({ ...options, entities: [], migrations: all.slice(0, cut) });
  await old.initialize();
  await old.runMigrations({ transaction: 'each' });
  await old.query(OLD_ROWS);
  await old.destroy();
  // The current engine on that database: it runs the pending migrations at boot.
  engine = await startTestEngine({}, { db });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await db?.drop();
});

describe('upgrading a database of the first release to the current schema', () => {
  it('runs every newer migration once, in order', async () => {
    expect(pending.length).toBeGreaterThan(0);
    const ran = await engine.sql<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(ran.slice(-pending.length).map((r) => r.name)).toEqual(pending);
  });

  it('ends with exactly the schema the entities declare (nothing for TypeORM to change)', async () => {
    const ds = new DataSource({ ...dataSourceOptions(db.url), logging: false });
    await ds.initialize();
    try {
      const log = await ds.driver.createSchemaBuilder().log();
      expect(log.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('keeps the inventory, its tasks and audit events, readable through the API', async () => {
    const vm = await engine.api('GET', `/api/v1/vms/${ids.vm}`);
    expect(vm.status).toBe(200);
    expect(vm.body).toMatchObject({ name: 'up-vm', vcpus: 2, memoryMib: 512, clusterId: ids.cluster });
    const host = await engine.api('GET', `/api/v1/hosts/${ids.host}`);
    expect(host.body).toMatchObject({ name: 'up-host', status: 'maintenance', address: '192.0.2.20' });
    const disks = await engine.api('GET', `/api/v1/disks?vmId=${ids.vm}`);
    expect(disks.body.items).toEqual([
      expect.objectContaining({ id: ids.disk, name: 'up-disk', storageDomainId: ids.sd, bootable: true }),
    ]);
    const task = await engine.api('GET', `/api/v1/tasks/${ids.task}`);
    expect(task.body).toMatchObject({
      type: 'vm.create',
      status: 'succeeded',
      correlationId: 'corr-before-upgrade',
    });
    const events = await engine.api('GET', `/api/v1/events?correlationId=corr-before-upgrade`);
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).toContain('VM up-vm created before the upgrade');
    // Columns added since have their defaults on old rows (a task's fencing generation starts at 0).
    const [gen] = await engine.sql<{ g: number }>('SELECT owner_generation AS g FROM task WHERE id = $1', [
      ids.task,
    ]);
    expect(gen!.g).toBe(0);
  });

  it('works on the upgraded data: the old VM is edited and the admin created by the upgrade signs in', async () => {
    const edit = await engine.api('PATCH', `/api/v1/vms/${ids.vm}`, { description: 'after the upgrade' });
    expect(edit.status).toBeLessThan(300);
    const [row] = await engine.sql<{ description: string }>('SELECT description FROM vm WHERE id = $1', [
      ids.vm,
    ]);
    expect(row!.description).toBe('after the upgrade');
    const me = await engine.api('GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.systemPermissions).toContain('metrics.read');
  });
});
