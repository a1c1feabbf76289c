import { authHeaders, createTestUser, TestUser } from '../support/auth';
import type { StreamMessage } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { StreamClientsService, StreamService } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';
import { eventually } from '../support/platform';
import { openStream, SseClient } from '@kelpie/test-support';

const V1 = '/api/v1';
const DAY = 86_400_000;

/** A raw SSE connection whose reading the test controls (fetch would keep reading into memory). */
function rawStream(baseUrl: string, token: string) {
  return new Promise<{ res: http.IncomingMessage; req: http.ClientRequest }>((resolve, reject) => {
    const req = http.get(
      `${baseUrl}${V1}/events/stream`,
      { headers: { accept: 'text/event-stream', ...authHeaders(token) } },
      (res) => resolve({ res, req }),
    );
    req.on('error', reject);
  });
}

function dataMessages(text: string): StreamMessage[] {
  return text
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join(''),
    )
    .filter(Boolean)
    .map((d) => JSON.parse(d) as StreamMessage);
}

describe('bounded resources', () => {
  let e: TestEngine;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    e = await startTestEngine({
      KELPIE_STREAM_MAX_PER_CLIENT: '2',
      KELPIE_STREAM_MAX_BACKLOG_BYTES: String(256 * 1024),
      KELPIE_RETENTION_INTERVAL_MS: '1000',
      KELPIE_RETENTION_EVENTS_DAYS: '7',
      KELPIE_RETENTION_TASKS_DAYS: '7',
      KELPIE_RETENTION_MIGRATIONS_DAYS: '7',
      KELPIE_RETENTION_SCHEDULE_RUNS_DAYS: '7',
      KELPIE_RETENTION_BATCH: '2',
    });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await e?.close();
  });

  it('prunes events, final tasks, finished migrations and schedule runs past retention, in batches, and keeps the rest', async () => {
    const old = new Date(Date.now() - 30 * DAY);
    const recent = new Date(Date.now() - DAY);
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const [oldEvents, newEvent] = [ids(5), randomUUID()];
    for (const [id, time] of [...oldEvents.map((id) => [id, old] as const), [newEvent, recent] as const])
      await e.sql(
        `INSERT INTO event (id, time, severity, type, message) VALUES ($1, $2, 'info', 'test.old', 'x')`,
        [id, time],
      );
    const task = (id: string, status: string, created: Date, finished: Date | null) =>
      e.sql(
        `INSERT INTO task (id, type, status, requested_by, created_at, finished_at) VALUES ($1, 'test', $2, 'test', $3, $4)`,
        [id, status, created, finished],
      );
    const oldFinal = ids(3);
    for (const [i, id] of oldFinal.entries())
      await task(id, ['succeeded', 'failed', 'cancelled'][i], old, old);
    const oldRunning = randomUUID();
    const oldQueued = randomUUID();
    const newFinal = randomUUID();
    await task(oldRunning, 'running', old, null);
    await task(oldQueued, 'queued', old, null);
    await task(newFinal, 'succeeded', recent, recent);

    const dc = (await e.api('POST', `${V1}/datacenters`, { name: 'retention' })).body;
    const cl = (await e.api('POST', `${V1}/clusters`, { name: 'retention', datacenterId: dc.id })).body;
    const vm = (await e.api('POST', `${V1}/vms`, { name: 'retention-vm', clusterId: cl.id })).body;
    const migration = (id: string, status: string, finished: Date | null) =>
      e.sql(
        `INSERT INTO vm_migration (id, vm_id, source_host_id, target_host_id, status, policy, target_reason, created_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, '{}', 'test', $6, $7)`,
        [id, vm.id, randomUUID(), randomUUID(), status, old, finished],
      );
    const oldMigrations = ids(3);
    for (const id of oldMigrations) await migration(id, 'succeeded', old);
    const runningMigration = randomUUID();
    const newMigration = randomUUID();
    await migration(runningMigration, 'running', null);
    await migration(newMigration, 'failed', recent);

    // A cron schedule keeps its recent runs; a cancelled one goes with its old runs; a done one whose
    // run is recent stays.
    const schedule = (id: string, state: string, cron: string | null) =>
      e.sql(
        `INSERT INTO schedule (id, action, target_type, target_id, run_at, cron, state, created_by, created_at)
         VALUES ($1, 'vm.start', 'vm', $2, $3, $4, $5, 'test', $6)`,
        [id, vm.id, cron ? null : old, cron, state, old],
      );
    const run = (scheduleId: string, due: Date) =>
      e.sql(`INSERT INTO schedule_run (id, schedule_id, due_at, outcome) VALUES ($1, $2, $3, 'started')`, [
        randomUUID(),
        scheduleId,
        due,
      ]);
    const [cronSchedule, cancelled, done] = ids(3);
    await schedule(cronSchedule, 'active', '0 2 * * *');
    await schedule(cancelled, 'cancelled', '0 3 * * *');
    await schedule(done, 'done', null);
    for (let i = 0; i < 3; i++) await run(cronSchedule, new Date(old.getTime() - i * DAY));
    await run(cronSchedule, recent);
    for (let i = 0; i < 2; i++) await run(cancelled, new Date(old.getTime() - i * DAY));
    await run(done, recent);
    const runsOf = async (id: string) =>
      Number(
        (await e.sql<{ n: string }>(`SELECT count(*) AS n FROM schedule_run WHERE schedule_id = $1`, [id]))[0]
          .n,
      );

    // The periodic pruner (every second here) removes them in batches of 2.
    const count = async (table: string, list: string[]) =>
      Number(
        (await e.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE id = ANY($1)`, [list]))[0].n,
      );
    await eventually(
      'the expired rows pruned',
      async () =>
        (await count('event', oldEvents)) +
          (await count('task', oldFinal)) +
          (await count('vm_migration', oldMigrations)) +
          (await count('schedule', [cancelled])) ===
        0,
      20_000,
    );
    expect(await count('event', [newEvent])).toBe(1);
    expect(await count('task', [oldRunning, oldQueued, newFinal])).toBe(3);
    expect(await count('vm_migration', [runningMigration, newMigration])).toBe(2);
    expect([await runsOf(cronSchedule), await runsOf(cancelled), await runsOf(done)]).toEqual([1, 0, 1]);
    expect(await count('schedule', [cronSchedule, done])).toBe(2);
  });

  it('caps live-stream connections per client with 429, others unaffected', async () => {
    const [capped, someoneElse] = [await createTestUser(e, 'capped'), await createTestUser(e, 'other')];
    const open = (user: TestUser) =>
      fetch(`${e.baseUrl}${V1}/events/stream`, { headers: authHeaders(user.token) });
    const held = e.app.get(StreamClientsService);
    const cappedKey = `user:${capped.id}`;
    const first = await open(capped);
    const second = await open(capped);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await open(capped);
    expect(third.status).toBe(429);
    const body = await third.json();
    expect(body.code).toBe('rate_limited');
    expect(body.message).toMatch(/too many live-stream connections/);
    const other = await open(someoneElse);
    expect(other.status).toBe(200);
    expect(held.held(cappedKey)).toBe(2);

    await first.body!.cancel();
    await eventually('the closed connection released', async () => held.held(cappedKey) === 1, 5000);
    const again = await open(capped);
    expect(again.status).toBe(200);
    await Promise.all([second, other, again].map((r) => r.body!.cancel()));
    await eventually('every connection released', async () => held.total() === 0, 5000);
  });

  it('drops a client that stops reading with a resync message; a reading client gets everything', async () => {
    const stream = e.app.get(StreamService);
    const held = e.app.get(StreamClientsService);
    const reader = await openStream(`${e.baseUrl}${V1}/events/stream?types=object.updated`);
    clients.push(reader);
    // It sees everything (ReadOnly on the system): every message below is for it.
    const slowUser = await createTestUser(e, 'slow', { grants: [{ role: 'ReadOnly' }] });
    const slow = await rawStream(e.baseUrl, slowUser.token);
    slow.res.pause();
    expect(held.held(`user:${slowUser.id}`)).toBe(1);

    // ~24 MB of messages: far more than the kernel's socket buffers and the 256 KiB backlog bound.
    const filler = 'x'.repeat(48 * 1024);
    const objectId = randomUUID();
    const total = 500;
    for (let i = 0; i < total; i++)
      await stream.publish({
        type: 'object.updated',
        object: { type: 'vm', id: objectId },
        refs: [{ type: 'vm', id: objectId }],
        changes: ['description'],
        data: { seq: i, filler },
      });
    await reader.waitFor((m) => m.type === 'object.updated' && m.data.seq === total - 1, 60_000);
    // Nothing more is queued for the slow client: its subscription is gone.
    await eventually('the slow client dropped', async () => held.held(`user:${slowUser.id}`) === 0, 10_000);
    const updates = reader.messages.filter((m) => m.type === 'object.updated');
    expect(updates.map((m) => (m.type === 'object.updated' ? m.data.seq : -1))).toEqual(
      Array.from({ length: total }, (_, i) => i),
    );

    // When it reads again it finds what was sent before the drop, the resync message, then the end.
    let text = '';
    slow.res.setEncoding('utf8');
    slow.res.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise<void>((resolve) => slow.res.on('end', resolve));
    slow.res.resume();
    await ended;
    const got = dataMessages(text);
    const last = got[got.length - 1];
    expect(last.type).toBe('stream.resync');
    expect(last.type === 'stream.resync' && last.reason).toMatch(/fell behind/);
    expect(got.length - 1).toBeLessThan(total);
  }, 90_000);

  it('caps ?wait= on tasks with a 400 naming the field', async () => {
    const res = await e.api('GET', `${V1}/tasks/${randomUUID()}?wait=60001`);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'wait' })]));
  });
});

describe('API rate limit', () => {
  let e: TestEngine;
  beforeAll(async () => {
    e = await startTestEngine({ KELPIE_RATE_LIMIT_REQUESTS: '5', KELPIE_RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(async () => e?.close());

  it('answers 429 with Retry-After past the budget, across routes; health is never throttled', async () => {
    for (let i = 0; i < 3; i++) expect((await e.api('GET', `${V1}/datacenters`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await e.api('GET', `${V1}/tasks`)).status).toBe(200);
    const refused = await e.api('GET', `${V1}/clusters`);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(refused.body.message).toMatch(/too many requests/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Nothing was done for the refused request.
    expect((await e.api('POST', `${V1}/datacenters`, { name: 'refused' })).status).toBe(429);
    expect(await e.sql(`SELECT id FROM datacenter WHERE name = 'refused'`)).toEqual([]);
    expect((await e.api('GET', `${V1}/health`)).status).toBe(200);
  });
});
