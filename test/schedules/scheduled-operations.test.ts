import { virshOrThrow } from '@kelpie/lab';
import type { Schedule, ScheduleDetail } from '@kelpie/shared-types';
import Redis from 'ioredis';
import { join } from 'node:path';
import { createTestUser } from '../support/auth';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { defineTestVm, TestVm, uriOf } from '../vm/support-ks';

/**
 * Scheduled operations (lab ksc1, one host, one stopped qcow2 guest) with TWO engines on the same
 * database and Redis prefix: the test platform's in-process engine and an engine process. A run is
 * asserted by its real effect (the snapshot in `virsh snapshot-list`) and by its one task.
 */
const ENV = { KELPIE_SCHEDULE_MIN_INTERVAL_SECONDS: '5' };
let p: TestPlatform;
let g: TestVm;
const processes: EngineProcess[] = [];
let b: EngineProcess;

const startProcess = async () => {
  const e = await startEngineProcess({
    db: p.engine.db,
    redisPrefix: p.engine.config.redisPrefix,
    env: ENV,
    logFile: join(p.labStatus.stateDir, `engine-${processes.length}.log`),
  });
  processes.push(e);
  return e;
};

const libvirtSnapshots = async () =>
  (await virshOrThrow(uriOf(p), ['snapshot-list', '--name', g.id]))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const detail = async (id: string) => {
  const res = await p.engine.api<ScheduleDetail>('GET', `/api/v1/schedules/${id}`);
  expect(res.status).toBe(200);
  return res.body;
};

const tasksOf = async (scheduleId: string) =>
  p.engine.sql<{ id: string; type: string; status: string }>(
    `SELECT id, type, status FROM task WHERE correlation_id = $1`,
    [`schedule-${scheduleId}`],
  );

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

const create = async (via: { api: EngineProcess['api'] }, body: Record<string, unknown>) => {
  const res = await via.api<Schedule>('POST', '/api/v1/schedules', body);
  if (res.status !== 201) throw new Error(`POST /schedules → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Every run started a task that succeeded. */
const allSucceeded = async (id: string, runs: number) => {
  const d = await detail(id);
  return d.runs.length === runs && d.runs.every((r) => r.taskStatus === 'succeeded') ? d : null;
};

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'ksc1', subnet: 178, hosts: 1, engineEnv: ENV });
  g = await defineTestVm(p, 'ksc-g1');
  b = await startProcess();
}, 240_000);

afterAll(async () => {
  for (const e of processes) await e.stop().catch(() => undefined);
  await p?.close();
});

describe('scheduled operations, two engines', () => {
  it('refuses bad input with the field and the reason, and writes nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'x', runAt: inSeconds(-60) }, 400, 'runAt'],
      [
        { action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'x', runAt: inSeconds(60), cron: '0 * * * *' },
        400,
        'runAt',
      ],
      [{ action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'x' }, 400, 'runAt'],
      [{ action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'x', cron: 'every day' }, 400, 'cron'],
      [{ action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'x', cron: '* * * * * *' }, 400, 'cron'],
      [{ action: 'vm.start', vmId: g.id, cron: '0 2 * * *', timezone: 'Mars/Olympus' }, 400, 'timezone'],
      [{ action: 'vm.start', vmId: g.id, runAt: inSeconds(60), snapshotPrefix: 'x' }, 400, 'snapshotPrefix'],
      [{ action: 'vm.explode', vmId: g.id, runAt: inSeconds(60) }, 400, 'action'],
      [{ action: 'vm.snapshot', vmId: g.id, runAt: inSeconds(60) }, 400, 'snapshotPrefix'],
      [{ action: 'host.maintenance', runAt: inSeconds(60) }, 400, 'hostId'],
      // Without an offset the time would be read in the engine's zone.
      [{ action: 'vm.start', vmId: g.id, runAt: inSeconds(3600).replace('Z', '') }, 400, 'runAt'],
    ];
    for (const [body, status, field] of cases) {
      const res = await b.api<{ code: string; details: { field?: string; reason: string }[] }>(
        'POST',
        '/api/v1/schedules',
        body,
      );
      expect({ body, status: res.status }).toEqual({ body, status });
      const fields = res.body.details.map((d) => d.field);
      expect({ body, fields }).toEqual({ body, fields: expect.arrayContaining([field]) });
      expect(res.body.details.every((d) => d.reason.length > 0)).toBe(true);
    }
    const past = await b.api<{ details: { reason: string }[] }>('POST', '/api/v1/schedules', cases[0][0]);
    expect(past.body.details[0].reason).toMatch(/not in the future/);
    const often = await b.api<{ details: { reason: string }[] }>('POST', '/api/v1/schedules', cases[4][0]);
    expect(often.body.details[0].reason).toMatch(/1 s apart; the minimum interval is 5 s/);
    const local = await b.api<{ details: { reason: string }[] }>(
      'POST',
      '/api/v1/schedules',
      cases.at(-1)![0],
    );
    expect(local.body.details[0].reason).toMatch(/no UTC offset/);

    const unknownVm = '00000000-0000-4000-8000-000000000001';
    const missing = await b.api<{ code: string }>('POST', '/api/v1/schedules', {
      action: 'vm.reboot',
      vmId: unknownVm,
      runAt: inSeconds(60),
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    expect(await p.engine.sql('SELECT id FROM schedule')).toEqual([]);
    expect((await p.engine.api<Schedule[]>('GET', '/api/v1/schedules')).body).toEqual([]);
  });

  it('a snapshot scheduled 20 s ahead runs exactly once: one run, one task, one snapshot in libvirt', async () => {
    const runAt = inSeconds(20);
    const s = await create(b, {
      action: 'vm.snapshot',
      vmId: g.id,
      snapshotPrefix: 'once',
      runAt,
      name: 'nightly',
    });
    expect(s).toMatchObject({ state: 'active', runAt, nextRunAt: runAt, target: { type: 'vm', id: g.id } });
    // Both engines see it, due at its time.
    const listed = (await p.engine.api<Schedule[]>('GET', '/api/v1/schedules')).body;
    expect(listed.map((x) => [x.id, x.nextRunAt])).toEqual([[s.id, runAt]]);

    const d = await eventually('the run and its task done', () => allSucceeded(s.id, 1), 120_000, 500);
    // Let both engines' workers have every chance to run it again.
    await new Promise((r) => setTimeout(r, 10_000));
    const after = await detail(s.id);
    expect(after.runs).toHaveLength(1);
    expect(after).toMatchObject({ state: 'done', nextRunAt: null });
    expect(after.runs[0]).toMatchObject({ dueAt: runAt, outcome: 'started', reason: null });
    const tasks = await tasksOf(s.id);
    expect(tasks).toEqual([{ id: d.runs[0].taskId, type: 'vm.snapshot.create', status: 'succeeded' }]);

    const snaps = (
      await p.engine.api<{ items: { id: string; name: string }[] }>('GET', `/api/v1/vms/${g.id}/snapshots`)
    ).body.items;
    const stamp = runAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(snaps.map((x) => x.name)).toEqual([`once-${stamp}`]);
    expect(await libvirtSnapshots()).toEqual([snaps[0].id]);
  }, 180_000);

  it('a cron schedule runs at each due time; cancelled, it and a cancelled one-time schedule never run', async () => {
    const before = (await libvirtSnapshots()).length;
    const cancelledOnce = await create(p.engine, {
      action: 'vm.snapshot',
      vmId: g.id,
      snapshotPrefix: 'never',
      runAt: inSeconds(15),
    });
    const gone = await b.api<Schedule>('DELETE', `/api/v1/schedules/${cancelledOnce.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ state: 'cancelled', nextRunAt: null });

    const s = await create(p.engine, {
      action: 'vm.snapshot',
      vmId: g.id,
      snapshotPrefix: 'tick',
      cron: '*/10 * * * * *',
      timezone: 'Europe/Berlin',
    });
    expect(Date.parse(s.nextRunAt!) % 10_000).toBe(0);
    await eventually('two cron runs done', () => allSucceeded(s.id, 2), 120_000, 500);
    const cancel = await b.api<Schedule>('DELETE', `/api/v1/schedules/${s.id}`);
    expect(cancel.body.state).toBe('cancelled');
    const atCancel = await detail(s.id);
    // Past its next due times and the cancelled one-time schedule's.
    await new Promise((r) => setTimeout(r, 25_000));
    const final = await detail(s.id);
    expect(final.runs.map((r) => r.id)).toEqual(atCancel.runs.map((r) => r.id));
    expect(final.runs.length).toBeGreaterThanOrEqual(2);
    const due = final.runs.map((r) => Date.parse(r.dueAt));
    expect(due.every((t) => t % 10_000 === 0)).toBe(true);
    expect(new Set(due).size).toBe(due.length);
    expect(final.runs.every((r) => r.outcome === 'started' && r.taskStatus !== null)).toBe(true);
    expect((await tasksOf(s.id)).length).toBe(final.runs.length);
    await eventually(
      'the last run’s task done',
      async () => (await detail(s.id)).runs.every((r) => r.taskStatus === 'succeeded'),
      60_000,
      500,
    );
    expect((await libvirtSnapshots()).length).toBe(before + final.runs.length);

    expect((await detail(cancelledOnce.id)).runs).toEqual([]);
    expect(await tasksOf(cancelledOnce.id)).toEqual([]);
  }, 240_000);

  it('a refused action is the run’s outcome with its reason; nothing reaches the host', async () => {
    const s = await create(b, { action: 'vm.shutdown', vmId: g.id, runAt: inSeconds(6) });
    const d = await eventually(
      'the refused run recorded',
      async () => {
        const x = await detail(s.id);
        // A run is recorded as refused when claimed ("the engine stopped before…", true only if the
        // engine dies there) and gets the action's own answer right after: wait for that.
        return x.runs[0]?.outcome === 'refused' && !/^claimed;/.test(x.runs[0].reason ?? '') ? x : null;
      },
      60_000,
      500,
    );
    expect(d.runs).toHaveLength(1);
    expect(d.runs[0]).toMatchObject({ taskId: null, taskStatus: null });
    expect(d.runs[0].reason).toMatch(/^invalid_state: /);
    expect(d.state).toBe('done');
    expect(await tasksOf(s.id)).toEqual([]);
    expect((await virshOrThrow(uriOf(p), ['domstate', g.id])).trim()).toBe('shut off');
  }, 90_000);

  it('survives a restart with Redis emptied: the schedule is re-armed from Postgres at boot', async () => {
    const before = (await libvirtSnapshots()).length;
    const s = await create(b, {
      action: 'vm.snapshot',
      vmId: g.id,
      snapshotPrefix: 'reboot',
      runAt: inSeconds(20),
    });
    await b.stop();
    // What a flushed Redis leaves of the schedules queue: nothing.
    const redis = new Redis(p.engine.config.redisUrl);
    try {
      const keys = await redis.keys(`${p.engine.config.redisPrefix}:schedules:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    b = await startProcess();
    await eventually('the re-armed run done', () => allSucceeded(s.id, 1), 120_000, 500);
    expect((await tasksOf(s.id)).length).toBe(1);
    expect((await libvirtSnapshots()).length).toBe(before + 1);
  }, 240_000);
  it('needs the action’s own permission on its object, to create and to cancel', async () => {
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const ro = await createTestUser(p.engine, 'ksc-ro', { grants: [{ role: 'ReadOnly' }] });
    const role = await p.engine.api('POST', '/api/v1/roles', {
      name: 'ksc-power',
      permissions: ['vm.power'],
    });
    expect(role.status).toBe(201);
    const op = await createTestUser(p.engine, 'ksc-op', {
      grants: [{ role: 'ksc-power', objectType: 'vm', objectId: g.id }],
    });
    const snapshot = { action: 'vm.snapshot', vmId: g.id, snapshotPrefix: 'denied', runAt: inSeconds(3600) };
    const start = { action: 'vm.start', vmId: g.id, runAt: inSeconds(3600) };
    const count = async () => (await p.engine.sql('SELECT id FROM schedule')).length;
    const before = await count();

    const denied = await p.engine.api<{ code: string; message: string }>(
      'POST',
      '/api/v1/schedules',
      snapshot,
      as(op.token),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/permission vm\.snapshot is required on vm /);
    expect((await p.engine.api('POST', '/api/v1/schedules', start, as(ro.token))).status).toBe(403);
    expect(await count()).toBe(before);

    const mine = await p.engine.api<Schedule>('POST', '/api/v1/schedules', start, as(op.token));
    expect(mine.status).toBe(201);
    expect(mine.body.createdBy).toBe(op.username);
    // Its creator may read it without `view`; the ReadOnly user sees it (view on the VM) but may not cancel it.
    const listed = (await p.engine.api<Schedule[]>('GET', '/api/v1/schedules', undefined, as(op.token))).body;
    expect(listed.map((x) => x.id)).toContain(mine.body.id);
    expect(listed.filter((x) => x.action === 'vm.snapshot')).toEqual([]);
    expect(
      (await p.engine.api('GET', `/api/v1/schedules/${mine.body.id}`, undefined, as(ro.token))).status,
    ).toBe(200);
    expect(
      (await p.engine.api('DELETE', `/api/v1/schedules/${mine.body.id}`, undefined, as(ro.token))).status,
    ).toBe(403);
    const cancelled = await p.engine.api<Schedule>(
      'DELETE',
      `/api/v1/schedules/${mine.body.id}`,
      undefined,
      as(op.token),
    );
    expect(cancelled.body.state).toBe('cancelled');
  });
});
