import { ObjectType, Task } from '@kelpie/shared-types';
import {
  ENGINE_CONFIG,
  type EngineConfig,
  REDIS,
  StreamService,
  claimOrphan,
  releaseClaim,
  TaskRepository,
  TaskContext,
  TasksService,
} from '@kelpie/engine/testing';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { startTestEngine, TestEngine } from '../support/engine';

/**
 * Fencing against real Postgres: a task's runner keeps going after another engine claimed its task
 * (it was taken for dead); each of its later writes — progress, checkpoint, final — is refused, and
 * the claimer's state stands. The two-process version (SIGSTOP) is in test/platform/task-fencing.test.ts.
 */
describe('task fencing', () => {
  let e: TestEngine;
  let tasks: TasksService;
  let repo: TaskRepository;
  let me: string;
  const OTHER = randomUUID();

  beforeAll(async () => {
    e = await startTestEngine();
    tasks = e.app.get(TasksService);
    repo = e.app.get(TaskRepository);
    me = e.app.get(StreamService).engineId;
    // OTHER is alive as far as this engine's orphan sweep can tell: it must not claim OTHER's tasks.
    const prefix = e.app.get<EngineConfig>(ENGINE_CONFIG).redisPrefix;
    await e.app.get<Redis>(REDIS).set(`${prefix}:engine:${OTHER}`, 'test', 'PX', 120_000);
  });
  afterAll(async () => e.close());

  const row = async (id: string) =>
    (
      await e.sql<{
        status: string;
        progress: number;
        phase: string;
        owner_engine: string;
        owner_generation: number;
      }>(
        `SELECT status, progress, checkpoint->>'phase' AS phase, owner_engine, owner_generation FROM task WHERE id = $1`,
        [id],
      )
    )[0]!;

  /** Runs a task whose work stops after its first checkpoint until `go()`; then it tries every kind of write. */
  function startGatedTask(task: Task) {
    let go: () => void = () => undefined;
    const gate = new Promise<void>((r) => (go = r));
    let checkpointed: () => void = () => undefined;
    const atGate = new Promise<void>((r) => (checkpointed = r));
    const reached: string[] = [];
    const run = tasks.run(task, async (ctx: TaskContext) => {
      await ctx.checkpoint('one', { hostId: 'h1' });
      checkpointed();
      await gate;
      reached.push('progress');
      await ctx.progress(40, 'late progress of the fenced runner');
      reached.push('checkpoint');
      await ctx.checkpoint('two');
      reached.push('end');
      return { by: 'fenced runner' };
    });
    return { atGate, go, run, reached };
  }

  it('a runner whose task another engine claimed is refused every write; the claimer’s result stands', async () => {
    const task = await tasks.create('vm.start', { type: ObjectType.Vm, id: randomUUID() }, 'alice');
    const t = startGatedTask(task);
    await t.atGate;
    const claimed = await claimOrphan(repo, { id: task.id, ownerEngine: me }, OTHER);
    expect(claimed?.fence).toEqual({ owner: OTHER, generation: 1 });
    await e.sql(`UPDATE task SET progress = 70 WHERE id = $1`, [task.id]); // the adopter's progress
    t.go();
    const ended = await t.run;
    // The first refused write stopped the work: nothing after it ran, nothing of it was stored.
    expect(t.reached).toEqual(['progress']);
    expect(ended.status).toBe('running');
    expect(await row(task.id)).toEqual({
      status: 'running',
      progress: 70,
      phase: 'one',
      owner_engine: OTHER,
      owner_generation: 1,
    });
    // The claimer ends it: its outcome is the one recorded.
    await tasks.succeed(task.id, { by: 'adopter' });
    expect((await tasks.get(task.id)).result).toEqual({ by: 'adopter' });
  });

  it('the generation fences a runner even when its own engine claims the task back later', async () => {
    const task = await tasks.create('vm.start', { type: ObjectType.Vm, id: randomUUID() }, 'alice');
    const t = startGatedTask(task);
    await t.atGate;
    expect(await claimOrphan(repo, { id: task.id, ownerEngine: me }, OTHER)).not.toBeNull();
    await releaseClaim(repo, task.id, OTHER);
    const back = await claimOrphan(repo, { id: task.id, ownerEngine: null }, me);
    expect(back?.fence).toEqual({ owner: me, generation: 2 });
    t.go();
    await t.run;
    expect(t.reached).toEqual(['progress']);
    expect(await row(task.id)).toMatchObject({
      status: 'running',
      progress: 0,
      phase: 'one',
      owner_engine: me,
    });
    await tasks.fail(task.id, 'internal', 'ended by the test');
  });

  it('a runner that still owns its task writes as before', async () => {
    const task = await tasks.create('vm.start', { type: ObjectType.Vm, id: randomUUID() }, 'alice');
    const t = startGatedTask(task);
    await t.atGate;
    t.go();
    const ended = await t.run;
    expect(t.reached).toEqual(['progress', 'checkpoint', 'end']);
    expect(ended).toMatchObject({ status: 'succeeded', result: { by: 'fenced runner' } });
    expect(await row(task.id)).toMatchObject({ phase: 'two', owner_generation: 0 });
  });
});
