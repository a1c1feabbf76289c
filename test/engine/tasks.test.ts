import type { Task } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { DomainError, StreamService, TasksService } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';
import { openStream } from '@kelpie/test-support';

const V1 = '/api/v1';
const target = { type: 'vm' as const, id: randomUUID(), name: 'web1' };

const insertTask = (e: TestEngine, status: string, owner: string | null) =>
  e
    .sql<{ id: string }>(
      `INSERT INTO task (id, type, status, requested_by, owner_engine, started_at)
     VALUES (gen_random_uuid(), 'vm.start', $1, 'admin', $2, now()) RETURNING id`,
      [status, owner],
    )
    .then((r) => r[0].id);

describe('tasks', () => {
  let a: TestEngine;
  let b: TestEngine | undefined;
  let tasks: TasksService;

  beforeAll(async () => {
    a = await startTestEngine();
    tasks = a.app.get(TasksService);
  });
  afterAll(async () => {
    await b?.close();
    await a.close();
  });

  it('runs a lifecycle: queued → running → progress → succeeded, on the stream and in the audit log', async () => {
    const c = await openStream(`${a.baseUrl}${V1}/events/stream?objectId=${target.id}`);
    try {
      const t = await tasks.create('vm.start', target, 'alice', 'corr-1');
      expect(t).toMatchObject({
        status: 'queued',
        progress: 0,
        target,
        requestedBy: 'alice',
        correlationId: 'corr-1',
      });
      await tasks.start(t.id);
      await tasks.progress(t.id, 40, 'defining domain', { steps: [{ name: 'define', status: 'running' }] });
      const done = await tasks.succeed(t.id, { hostId: 'h1' });
      expect(done).toMatchObject({ status: 'succeeded', progress: 100, result: { hostId: 'h1' } });
      expect(done.finishedAt).not.toBeNull();
      await c.waitFor((m) => m.type === 'task.finished' && m.task.id === t.id);
      expect(c.messages.filter((m) => m.type.startsWith('task.')).map((m) => m.type)).toEqual([
        'task.created',
        'task.progress',
        'task.progress',
        'task.finished',
      ]);
      const progress = c.messages.find((m) => m.type === 'task.progress' && m.task.progress === 40);
      expect(progress).toBeDefined();
      const ev = await a.api('GET', `${V1}/events?correlationId=corr-1`);
      expect(ev.body.items[0]).toMatchObject({ type: 'task.succeeded', severity: 'info' });
      // a final task does not move any more
      await expect(tasks.fail(t.id, 'internal', 'late')).rejects.toMatchObject({ code: 'invalid_state' });
    } finally {
      c.close();
    }
  });

  it('launch() runs work in the background and keeps the DomainError code on failure', async () => {
    const t = await tasks.launch({ type: 'vm.stop', target, requestedBy: 'bob' }, async () => {
      throw new DomainError('host_unavailable', 'host h1 does not answer');
    });
    const res = await a.api('GET', `${V1}/tasks/${t.id}?wait=5000`);
    expect(res.body).toMatchObject({
      status: 'failed',
      errorCode: 'host_unavailable',
      errorMessage: 'host h1 does not answer',
    });
    // The audit event is written right after the task's final state: poll briefly for it.
    let items: unknown[] = [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      items = ((await a.api('GET', `${V1}/events?objectId=${t.id}`)).body as { items: unknown[] }).items;
      if (items.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(items[0]).toMatchObject({ type: 'task.failed', severity: 'error' });
  });

  it('GET /tasks/{id}?wait= returns as soon as the task finishes', async () => {
    const t = await tasks.create('vm.migrate', target, 'alice');
    await tasks.start(t.id);
    const started = Date.now();
    const waiting = a.api('GET', `${V1}/tasks/${t.id}?wait=20000`);
    setTimeout(() => void tasks.succeed(t.id, null), 300);
    const res = await waiting;
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect((res.body as Task).status).toBe('succeeded');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
  });

  it('?wait= gives up after the given time and returns the task as it is', async () => {
    const t = await tasks.create('vm.migrate', target, 'alice');
    const started = Date.now();
    const res = await a.api('GET', `${V1}/tasks/${t.id}?wait=400`);
    expect(res.body.status).toBe('queued');
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    await tasks.cancel(t.id, 'test over');
  });

  it('lists tasks with filters and sorting', async () => {
    const res = await a.api('GET', `${V1}/tasks?objectId=${target.id}&status=succeeded`);
    expect(res.body.items.every((t: Task) => t.status === 'succeeded' && t.target?.id === target.id)).toBe(
      true,
    );
    expect(res.body.total).toBeGreaterThanOrEqual(2);
    const byType = await a.api('GET', `${V1}/tasks?type=vm.stop&sort=createdAt:asc`);
    expect(byType.body.items.map((t: Task) => t.type)).toEqual(['vm.stop']);
    expect((await a.api('GET', `${V1}/tasks/${randomUUID()}`)).status).toBe(404);
  });

  it('marks tasks of a stopped engine interrupted at boot, not those of a live engine', async () => {
    const ownerless = await insertTask(a, 'running', null);
    const deadEngine = await insertTask(a, 'queued', randomUUID());
    const liveEngine = await insertTask(a, 'running', a.app.get(StreamService).engineId);
    const finished = await insertTask(a, 'succeeded', null);
    // Boot another engine process on the same database and Redis.
    b = await startTestEngine({}, { db: a.db, redisPrefix: a.config.redisPrefix });
    const get = async (id: string) => (await b!.api('GET', `${V1}/tasks/${id}`)).body as Task;
    expect(await get(ownerless)).toMatchObject({ status: 'interrupted', errorCode: 'interrupted' });
    expect((await get(ownerless)).errorMessage).toMatch(/engine .* stopped/);
    expect((await get(deadEngine)).status).toBe('interrupted');
    expect((await get(liveEngine)).status).toBe('running');
    expect((await get(finished)).status).toBe('succeeded');
    const ev = await b.api('GET', `${V1}/events?type=task.interrupted`);
    expect(ev.body.total).toBe(2);
  });

  it('an engine restarting on its database interrupts what it left running', async () => {
    const id = await insertTask(a, 'running', randomUUID());
    await b!.close();
    b = await startTestEngine({}, { db: a.db, redisPrefix: a.config.redisPrefix });
    expect((await b.api('GET', `${V1}/tasks/${id}`)).body.status).toBe('interrupted');
  });

  it('an orphan with a checkpoint is adopted by exactly one of two engines sweeping at once', async () => {
    const dead = randomUUID();
    const [{ id }] = await a.sql<{ id: string }>(
      `INSERT INTO task (id, type, status, requested_by, owner_engine, started_at, checkpoint)
       VALUES (gen_random_uuid(), 'test.adoptable', 'running', 'admin', $1, now(), '{"phase":"sent","hostId":"h9"}')
       RETURNING id`,
      [dead],
    );
    const adoptedBy: string[] = [];
    for (const e of [a, b!]) {
      const me = e.app.get(StreamService).engineId;
      e.app.get(TasksService).registerAdopter('test.adoptable', async (ctx, cp) => {
        adoptedBy.push(me);
        await ctx.progress(50, `settling on ${String(cp.hostId)}`);
        return { phase: cp.phase, by: me };
      });
    }
    const claims = await Promise.all([a, b!].map((e) => e.app.get(TasksService).sweepOrphans()));
    expect(claims.reduce((x, y) => x + y, 0)).toBe(1);
    const done = (await a.api('GET', `${V1}/tasks/${id}?wait=5000`)).body as Task;
    expect(done).toMatchObject({ status: 'succeeded', result: { phase: 'sent' } });
    expect(adoptedBy).toEqual([(done.result as { by: string }).by]);
    const [row] = await a.sql<{ owner_engine: string }>(`SELECT owner_engine FROM task WHERE id = $1`, [id]);
    expect(row.owner_engine).toBe(adoptedBy[0]);
    const ev = await a.api('GET', `${V1}/events?type=task.adopted&objectId=${id}`);
    expect(ev.body.total).toBe(1);
  });

  it('?wait= on one engine wakes when another engine finishes the task', async () => {
    const t = await tasks.create('vm.start', target, 'alice');
    await tasks.start(t.id);
    const waiting = b!.api('GET', `${V1}/tasks/${t.id}?wait=20000`);
    setTimeout(() => void tasks.succeed(t.id, null), 200);
    const started = Date.now();
    expect((await waiting).body.status).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
