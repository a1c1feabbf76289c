/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import type { DomainSnapshot, StreamMessage } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { StreamService, VmStateSyncService } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';

/** Inventories as the engine applies them (real Postgres and Redis; the agent side is played here). */
describe('inventory reports → VMs', () => {
  let e: TestEngine;
  let sync: VmStateSyncService;
  let host: any;
  let cluster: any;
  const seen: StreamMessage[] = [];
  let sub: Subscription;

  const domain = (name: string, over: Partial<DomainSnapshot> = {}): DomainSnapshot => ({
    uuid: randomUUID(),
    name,
    state: 'running',
    reason: 'booted',
    persistent: true,
    managed: false,
    vcpus: 1,
    memoryKiB: 131072,
    maxMemoryKiB: 131072,
    vncPort: 5900,
    ...over,
  });
  const vmRows = () =>
    e.sql<{ id: string; name: string; status: string; host_id: string | null; updated_at: Date }>(
      `SELECT id, name, status, host_id, updated_at FROM vm ORDER BY name`,
    );
  /** Stream messages about VMs since the last call (published via Redis: wait for them to arrive). */
  const vmMessages = async () => {
    await new Promise((r) => setTimeout(r, 300));
    return seen.splice(0).filter((m) => 'object' in m && m.object.type === 'vm');
  };

  /** The SQL statements the engine sent while `work` ran (TypeORM logs every statement it sends). */
  const statementsDuring = async (work: () => Promise<unknown>) => {
    const logger = e.app.get(DataSource).logger;
    const spy = jest.spyOn(logger, 'logQuery');
    try {
      await work();
      // The outbox relay re-reads the host ids in the background (every few seconds): not the work's.
      return spy.mock.calls
        .map((call) => call[0])
        .filter((q) => q !== 'SELECT "HostEntity"."id" AS "HostEntity_id" FROM "host" "HostEntity"');
    } finally {
      spy.mockRestore();
    }
  };

  beforeAll(async () => {
    e = await startTestEngine();
    sync = e.app.get(VmStateSyncService);
    sub = e.app.get(StreamService).messages.subscribe((m) => seen.push(m));
    const dc = (await e.api('POST', `${V1}/datacenters`, { name: 'sync-dc' })).body;
    cluster = (await e.api('POST', `${V1}/clusters`, { name: 'sync-c', datacenterId: dc.id })).body;
    host = (
      await e.api('POST', `${V1}/hosts`, {
        name: 'sync-h1',
        address: 'sync-h1.example.com',
        libvirtUri: 'qemu+tcp://sync-h1/system',
        clusterId: cluster.id,
      })
    ).body;
  });
  afterAll(async () => {
    sub.unsubscribe();
    await e.close();
  });

  const a = domain('ext-a');
  const b = domain('ext-b', { state: 'shutoff', reason: 'unknown', vncPort: undefined });
  const c = domain('bad name!');

  it('records unknown domains as external VMs of the host, announcing each one', async () => {
    await sync.applyInventory(host.id, [a, b, c]);
    const rows = await vmRows();
    expect(rows.map((r) => [r.id, r.name, r.status, r.host_id])).toEqual([
      [c.uuid, 'bad_name_', 'up', host.id],
      [a.uuid, 'ext-a', 'up', host.id],
      [b.uuid, 'ext-b', 'down', host.id],
    ]);
    const created = (await vmMessages()).filter((m) => m.type === 'object.created');
    expect(created.map((m) => (m as any).object.id).sort()).toEqual([a.uuid, b.uuid, c.uuid].sort());
    // One audit event for the whole listing, referring to every VM it found.
    const events = await e.sql<{ message: string; refs: { id: string }[] }>(
      `SELECT message, refs FROM event WHERE type = 'vm.external_found'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0].message).toMatch(/^3 domains on host sync-h1 are not managed by Kelpie/);
    expect(events[0].refs.map((r) => r.id)).toEqual(
      expect.arrayContaining([a.uuid, b.uuid, c.uuid, host.id]),
    );
  });

  it('writes and announces nothing when the listing equals what is stored, in two statements', async () => {
    const before = await vmRows();
    const statements = statementsDuring(() => sync.applyInventory(host.id, [a, b, c]));
    // The comparison with the VM rows, then which VMs live migration says may be migrating.
    expect((await statements).map((sql) => /FROM (vm_migration|vm)\b/.exec(sql)?.[1])).toEqual([
      'vm',
      'vm_migration',
    ]);
    expect(await vmRows()).toEqual(before);
    expect(await vmMessages()).toEqual([]);
  });

  it('looks at a VM in sync that has a running migration row, and lets its migration decide', async () => {
    const before = await vmRows();
    const row = randomUUID();
    await e.sql(
      `INSERT INTO vm_migration (id, vm_id, source_host_id, target_host_id, status, policy, target_reason)
       VALUES ($1, $2, $3, $4, 'running', '{}', 'test')`,
      [row, a.uuid, host.id, randomUUID()],
    );
    try {
      const statements = await statementsDuring(() => sync.applyInventory(host.id, [a, b, c]));
      // Loaded although the listing matches it, then its migration asked (no task: no migration).
      expect(statements.some((sql) => /FROM "vm"/.test(sql))).toBe(true);
      expect(statements.some((sql) => /FROM "task"/.test(sql))).toBe(true);
      expect(await vmRows()).toEqual(before);
      expect(await vmMessages()).toEqual([]);
    } finally {
      await e.sql(`DELETE FROM vm_migration WHERE id = $1`, [row]);
    }
  });

  it('writes only the VMs whose state, console port or hardware changed', async () => {
    const before = await vmRows();
    const paused = { ...a, state: 'paused' as const, reason: 'user' };
    const bigger = { ...c, vcpus: 2, vncPort: 5901 };
    await sync.applyInventory(host.id, [paused, b, bigger]);
    const after = await vmRows();
    expect(after.find((r) => r.id === b.uuid)).toEqual(before.find((r) => r.id === b.uuid));
    expect(after.find((r) => r.id === a.uuid)?.status).toBe('paused');
    const [row] = await e.sql(`SELECT vcpus, graphics_port FROM vm WHERE id = $1`, [c.uuid]);
    expect(row).toEqual({ vcpus: 2, graphics_port: 5901 });
    const updated = (await vmMessages()).filter((m) => m.type === 'object.updated');
    expect(updated.map((m) => (m as any).object.id).sort()).toEqual([a.uuid, c.uuid].sort());
  });

  it('removes external VMs and stops Kelpie VMs its host no longer lists in two listings in a row', async () => {
    const mine = (
      await e.api('POST', `${V1}/vms`, { name: 'kelpie-vm', clusterId: cluster.id, vcpus: 1, memoryMib: 128 })
    ).body;
    expect(mine.id).toBeDefined();
    const running = domain('kelpie-vm', { uuid: mine.id, managed: true });
    await sync.applyInventory(host.id, [a, b, c, running]);
    expect((await e.sql(`SELECT status, host_id FROM vm WHERE id = $1`, [mine.id]))[0]).toEqual({
      status: 'up',
      host_id: host.id,
    });
    // One listing without them may have raced a define: nothing changes yet.
    await sync.applyInventory(host.id, [a, c]);
    expect((await vmRows()).map((r) => r.id)).toContain(b.uuid);
    expect((await e.sql(`SELECT status, host_id FROM vm WHERE id = $1`, [mine.id]))[0]).toEqual({
      status: 'up',
      host_id: host.id,
    });
    await sync.applyInventory(host.id, [a, c]);
    const rows = await vmRows();
    expect(rows.map((r) => r.id)).not.toContain(b.uuid);
    expect(rows.find((r) => r.id === mine.id)).toMatchObject({ status: 'down', host_id: null });
    const deleted = (await vmMessages()).filter((m) => m.type === 'object.deleted');
    expect(deleted.map((m) => (m as any).object.id)).toEqual([b.uuid]);
  });

  it('gives domains of one listing whose names clash distinct names, in a fixed number of statements', async () => {
    const many = Array.from({ length: 20 }, (_, i) => domain(i % 2 ? 'dup name' : 'dup_name'));
    const statements = await statementsDuring(() => sync.applyInventory(host.id, [a, c, ...many]));
    // compare, running migrations, names, insert, read back, audit event
    expect(statements).toHaveLength(6);
    const names = (await e.sql<{ name: string }>(`SELECT name FROM vm WHERE name LIKE 'dup%'`)).map(
      (r) => r.name,
    );
    expect(names).toHaveLength(20);
    expect(new Set(names).size).toBe(20);
    expect(names).toContain('dup_name');
  });

  it('ignores inventories of unknown hosts', async () => {
    const before = await vmRows();
    await sync.applyInventory(randomUUID(), [domain('ghost')]);
    await sync.applyInventory('not-a-uuid', [domain('ghost')]);
    expect(await vmRows()).toEqual(before);
  });
});
