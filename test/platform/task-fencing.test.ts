import type { Task } from '@kelpie/shared-types';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationKit } from '../migration/migration-kit';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { addLabInfrastructure, eventually, smallVmOn } from '../support/platform';

/**
 * Fencing with two real engines (lab kqc2): engine A (a child process) is frozen with SIGSTOP in the
 * middle of a VM create, past its liveness TTL, so engine B (the test platform's) takes it for dead,
 * claims the task and settles it (failed, compensated). Then A is resumed and goes on where it was:
 * its next command (the volume) carries its old owner generation and the agent, which has seen B's,
 * refuses it: A logs "fenced out" and stops driving the task, the task keeps B's outcome, and A made
 * nothing on the host. Unit and database-level cases:
 * apps/engine/src/tasks/tasks.service.spec.ts, test/engine/task-fencing.test.ts.
 */
const TTL_MS = '3000';
/** A pauses 8 s after recording the create's volumes (it is frozen during that pause). */
const FAILPOINTS = 'vm.create:volumes@8000';
let k: MigrationKit;
let infra: { sdId: string; networkId: string };
let a: EngineProcess | undefined;

beforeAll(async () => {
  k = await MigrationKit.start({
    labName: 'kqc2',
    subnet: 110,
    hosts: 1,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
  });
  infra = await addLabInfrastructure(k.p);
  a = await startEngineProcess({
    db: k.p.engine.db,
    redisPrefix: k.p.engine.config.redisPrefix,
    env: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS, KELPIE_TEST_FAILPOINTS: FAILPOINTS },
    logFile: join(k.p.labStatus.stateDir, 'engine-a.log'),
  });
}, 300_000);

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  if (k) await k.close();
});

const taskRow = async (id: string) =>
  (
    await k.p.engine.sql(
      `SELECT status, progress, progress_message, error_message, result, checkpoint, owner_engine,
              owner_generation, finished_at FROM task WHERE id = $1`,
      [id],
    )
  )[0];

it('an engine paused past its TTL and resumed can neither send commands for nor write over the task another engine adopted', async () => {
  const files = async () => (await readdir(k.p.labStatus.sharedDir)).sort();
  const before = await files();
  const res = await a!.api<Task>('POST', '/api/v1/vms', smallVmOn(k.p, infra, 'kqc-fenced', k.hostId('h1')));
  expect(res.status).toBe(202);
  const task = res.body;
  await eventually(
    'A at the volumes step',
    async () =>
      ((await taskRow(task.id)) as { checkpoint?: { phase?: string } })?.checkpoint?.phase === 'volumes',
    60_000,
    50,
  );
  a!.pause();
  // B finds A's liveness expired, claims the task (generation 1) and settles it: nothing defined.
  const final = await k.waitTask(task.id, 120_000);
  expect(final.status).toBe('failed');
  expect(final.errorMessage).toMatch(/stopped at step "volumes" before the VM was defined/);
  const settled = await taskRow(task.id);
  expect(settled).toMatchObject({ owner_engine: expect.any(String), owner_generation: 1 });

  a!.resume();
  // A goes on with the create; its next command, the volume, is refused by the agent.
  const log = await eventually(
    'A fenced out of the task',
    async () => {
      const text = await readFile(a!.logFile, 'utf8');
      return text.split('\n').some((l) => l.includes('fenced out: ') && l.includes(task.id))
        ? text
        : undefined;
    },
    60_000,
    250,
  );
  expect(log).toMatch(
    new RegExp(
      `fenced out: a host refused volume\\.create: volume\\.create of task ${task.id} comes from owner generation 0, but this host already took commands of generation 1`,
    ),
  );
  // Never made: not a volume that A's own undo removed afterwards.
  expect(await files()).toEqual(before);
  expect(await taskRow(task.id)).toEqual(settled);
  expect((await k.api('GET', `/api/v1/vms/${task.target!.id}`)).status).toBe(404);
  expect(await k.whereIs(task.target!.id)).toEqual({});
  const adopted = await k.api('GET', `/api/v1/events?type=task.adopted&objectId=${task.id}`);
  expect((adopted.body as { total: number }).total).toBe(1);
}, 300_000);
