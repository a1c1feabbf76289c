import { ObjectType, Task } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { DomainError, TasksService } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';
const vmRef = (name: string) => ({ type: ObjectType.Vm, id: randomUUID(), name });

/** The one-operation-per-VM rule is the database's: racing creates are decided by task_lock's key. */
describe('task locks', () => {
  let e: TestEngine;
  let tasks: TasksService;
  const locks = (objectId: string) =>
    e.sql<{ task_id: string }>(`SELECT task_id FROM task_lock WHERE object_id = $1`, [objectId]);

  beforeAll(async () => {
    e = await startTestEngine();
    tasks = e.app.get(TasksService);
  });
  afterAll(async () => e.close());

  it('ten creates racing on one VM: exactly one task exists, nine 409s name it', async () => {
    const vm = vmRef('race1');
    // A check-then-insert lets several through here (each checks before any inserts).
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => tasks.create(i % 2 ? 'vm.start' : 'vm.migrate', vm, 'alice')),
    );
    const won = outcomes.filter((o): o is PromiseFulfilledResult<Task> => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    const winner = won[0]!.value;
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(DomainError);
      expect(l.reason).toMatchObject({ code: 'invalid_state' });
      expect((l.reason as DomainError).message).toBe(
        `VM race1 is busy with ${winner.type} (task ${winner.id}); retry when it has finished`,
      );
      expect((l.reason as DomainError).details).toEqual([
        expect.objectContaining({ ref: { type: 'task', id: winner.id, name: winner.type } }),
      ]);
    }
    // Nothing of the losers was written: one task row, one lock row, held by the winner.
    const rows = await e.sql<{ id: string }>(`SELECT id FROM task WHERE target_id = $1`, [vm.id]);
    expect(rows.map((r) => r.id)).toEqual([winner.id]);
    expect(await locks(vm.id)).toEqual([{ task_id: winner.id }]);

    // The final transition frees the VM in the same transaction: the next operation is accepted.
    await tasks.succeed(winner.id);
    expect(await locks(vm.id)).toEqual([]);
    const next = await tasks.create('vm.stop', vm, 'alice');
    expect(await locks(vm.id)).toEqual([{ task_id: next.id }]);
    await tasks.fail(next.id, 'internal', 'test over');
    expect(await locks(vm.id)).toEqual([]);
  });

  it('a disk operation holds the disk and its VM; either one busy refuses it, nothing half-locked stays', async () => {
    const vm = vmRef('race2');
    const disk = { type: ObjectType.Disk, id: randomUUID(), name: 'race2-disk1' };
    const other = vmRef('race2b');
    const detach = await tasks.create('vm.detach-disk', vm, 'alice', null, [], { locks: [vm, disk] });
    // The same disk through another VM's operation, and the VM through an operation on another object.
    await expect(
      tasks.create('vm.attach-disk', other, 'bob', null, [], { locks: [other, disk] }),
    ).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringContaining(`task ${detach.id}`),
    });
    await expect(tasks.create('vm.start', vm, 'bob')).rejects.toMatchObject({ code: 'invalid_state' });
    // The refused two-object request left no lock on the VM it could have taken.
    expect(await locks(other.id)).toEqual([]);
    await tasks.cancel(detach.id, 'test over');
    expect(await locks(disk.id)).toEqual([]);
    const attach = await tasks.create('vm.attach-disk', other, 'bob', null, [], { locks: [other, disk] });
    await tasks.succeed(attach.id);
  });

  it('verify runs once the locks are held; its refusal leaves no task and no lock', async () => {
    const vm = vmRef('verify');
    let heldDuringVerify: unknown[] = [];
    await expect(
      tasks.create('vm.start', vm, 'alice', null, [], {
        verify: async (em) => {
          heldDuringVerify = await em.query(`SELECT object_id FROM task_lock WHERE object_id = $1`, [vm.id]);
          throw new DomainError('invalid_state', 'cannot start VM verify: the VM is already up');
        },
      }),
    ).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/already up/) });
    expect(heldDuringVerify).toHaveLength(1);
    expect(await e.sql(`SELECT id FROM task WHERE target_id = $1`, [vm.id])).toEqual([]);
    expect(await locks(vm.id)).toEqual([]);
  });

  it('tasks ended by the orphan sweep release their objects', async () => {
    const vm = vmRef('orphaned');
    const t = await tasks.create('vm.start', vm, 'alice');
    // The engine that ran it is gone.
    await e.sql(`UPDATE task SET owner_engine = $1 WHERE id = $2`, [randomUUID(), t.id]);
    await tasks.sweepOrphans();
    expect((await tasks.get(t.id)).status).toBe('interrupted');
    expect(await locks(vm.id)).toEqual([]);
    await tasks.succeed((await tasks.create('vm.start', vm, 'alice')).id);
  });

  it('a lock left behind by a writer that bypassed the final transition does not block forever', async () => {
    const vm = vmRef('stale');
    const t = await tasks.create('vm.start', vm, 'alice');
    await e.sql(`UPDATE task SET status = 'failed', finished_at = now() WHERE id = $1`, [t.id]);
    const next = await tasks.create('vm.start', vm, 'alice');
    expect(await locks(vm.id)).toEqual([{ task_id: next.id }]);
    await tasks.succeed(next.id);
  });

  it('tasks on hosts and other objects lock nothing; exclusive() reports the work and frees the VM', async () => {
    const host = { type: ObjectType.Host, id: randomUUID(), name: 'h1' };
    const a = await tasks.create('host.maintenance', host, 'alice');
    const b = await tasks.create('host.maintenance', host, 'alice');
    expect(await locks(host.id)).toEqual([]);
    await Promise.all([tasks.succeed(a.id), tasks.succeed(b.id)]);

    const vm = vmRef('edit');
    await expect(
      tasks.exclusive({ type: 'vm.edit', target: vm, requestedBy: 'alice' }, async () => {
        expect(await locks(vm.id)).toHaveLength(1);
        throw new DomainError('unprocessable', 'libvirt said no');
      }),
    ).rejects.toMatchObject({ code: 'unprocessable', message: 'libvirt said no' });
    expect(await locks(vm.id)).toEqual([]);
    const done = await tasks.exclusive({ type: 'vm.edit', target: vm, requestedBy: 'alice' }, async () => 42);
    expect(done).toBe(42);
    const list = await e.api('GET', `${V1}/tasks?objectId=${vm.id}&sort=createdAt:asc`);
    expect(list.body.items.map((t: Task) => t.status)).toEqual(['failed', 'succeeded']);
  });
});
