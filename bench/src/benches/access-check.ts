import { performance } from 'node:perf_hooks';
import { authHeaders } from '@kelpie/test-support';
import { Pool } from 'pg';
import { restrictedUser, seedAccessObjects, type AccessObjects } from '../lib/access-fixture';
import { timeCheckSql } from '../lib/access-sql';
import { ADMIN_DB_URL, startEngineProcess, type EngineProcess } from '../lib/engine-process';
import { interleave } from '../lib/interleave';
import { PgStatementCounter } from '../lib/pg-counter';
import { fmt, sleep, summarize, type Summary } from '../lib/stats';
import type { Benchmark, BenchContext, BenchOutcome, ResultRow } from '../lib/types';

/** The restricted user's p50 may be at most this many times the admin's (see the notes). */
const TARGET_RATIO = 1.5;
/** Requests per principal whose statements are counted; the fewest counts (background work only adds). */
const COUNT_SAMPLES = 5;

interface Kind {
  kind: string;
  /** The links the check walks, for the table. */
  chain: string;
  path: (o: AccessObjects) => string;
  id: (o: AccessObjects) => string;
}

/** The objects a `VmUser` grant on one VM lets its holder read, nearest to farthest from the VM. */
const KINDS: Kind[] = [
  { kind: 'vm', chain: 'VM', path: (o) => `/api/v1/vms/${o.vm}`, id: (o) => o.vm },
  { kind: 'disk', chain: 'disk → VM', path: (o) => `/api/v1/disks/${o.disk}`, id: (o) => o.disk },
  { kind: 'nic', chain: 'NIC → VM', path: (o) => `/api/v1/nics/${o.nic}`, id: (o) => o.nic },
  {
    kind: 'snapshot',
    chain: 'snapshot → VM',
    path: (o) => `/api/v1/snapshots/${o.snapshot}`,
    id: (o) => o.snapshot,
  },
  {
    kind: 'migration',
    chain: 'migration → VM',
    path: (o) => `/api/v1/migrations/${o.migration}`,
    id: (o) => o.migration,
  },
  {
    kind: 'task',
    chain: 'task → disk → VM',
    path: (o) => `/api/v1/tasks/${o.diskTask}`,
    id: (o) => o.diskTask,
  },
];

export const accessCheck: Benchmark = {
  name: 'access-check',
  title: '7. Access check (restricted user vs admin)',
  description:
    "Authorization walks an object's chain through its owners' ports (one statement per link). A user with `VmUser` on one VM only (result) and the admin (baseline) each `GET` the VM, its disk, NIC, snapshot and migration, and a task on the disk (task → disk → VM), interleaved; the check's own statements (grants + chain) are also timed through `pg`, and every statement the engine runs per request is counted by a proxy in front of Postgres.",
  run,
};

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const rounds = ctx.quick ? 50 : 300;
  const pg = new URL(ADMIN_DB_URL);
  const counter = new PgStatementCounter({ host: pg.hostname, port: Number(pg.port || 5432) });
  let engineDbUrl = '';
  const engine = await startEngineProcess('access-check', {}, [], {
    routeDb: async (dbUrl) => {
      const url = new URL(dbUrl);
      url.hostname = '127.0.0.1';
      url.port = String(await counter.listen());
      engineDbUrl = url.toString();
      return engineDbUrl;
    },
  });
  try {
    const objects = await seedAccessObjects(engine);
    const user = await restrictedUser(engine, 'VmUser', objects.vm);
    const asAdmin = authHeaders();
    const asUser = authHeaders(user.token);
    await expectForbidden(engine, asUser);
    const proxyCost = await proxyOverhead(engine.pool, engineDbUrl, counter);

    const rows: ResultRow[] = [];
    const details: Record<string, unknown> = { objects, proxyCost };
    for (const k of KINDS) {
      const m = await measureKind(ctx, engine, counter, k, objects, user.id, { asAdmin, asUser }, rounds);
      rows.push(m.row);
      details[k.kind] = m.details;
    }
    return { rows, details, notes: notes(rounds, proxyCost) };
  } finally {
    await engine.close();
    await counter.close();
  }
}

/** One kind: the statements of a request, then admin and user interleaved, then the check's SQL. */
async function measureKind(
  ctx: BenchContext,
  engine: EngineProcess,
  counter: PgStatementCounter,
  k: Kind,
  objects: AccessObjects,
  userId: string,
  as: { asAdmin: Record<string, string>; asUser: Record<string, string> },
  rounds: number,
): Promise<{ row: ResultRow; details: Record<string, unknown> }> {
  const path = k.path(objects);
  const get = async (headers: Record<string, string>) => {
    const s = performance.now();
    const res = await fetch(`${engine.baseUrl}${path}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
    return performance.now() - s;
  };
  const statements = {
    admin: await countStatements(counter, () => get(as.asAdmin)),
    user: await countStatements(counter, () => get(as.asUser)),
  };
  for (let i = 0; i < 20; i++) await get(i % 2 ? as.asUser : as.asAdmin); // warm-up (JIT, pools, plans)
  const timed = await interleave(
    rounds,
    () => get(as.asAdmin),
    () => get(as.asUser),
    () => undefined,
  );
  const sqlMs: number[] = [];
  let checkStatements = 0;
  for (let i = 0; i < rounds + 10; i++) {
    const r = await timeCheckSql(engine.pool, userId, k.kind, k.id(objects));
    if (i >= 10) sqlMs.push(r.ms); // the first ten warm the pool and the plans
    checkStatements = r.statements;
  }
  const admin = summarize(timed.baseline);
  const user = summarize(timed.kelpie);
  const sql = summarize(sqlMs);
  ctx.log(
    `${k.kind}: admin ${fmt(admin.p50)}/${fmt(admin.p99)} ms, user ${fmt(user.p50)}/${fmt(user.p99)} ms, ` +
      `check SQL ${fmt(sql.p50)} ms (${checkStatements}), statements per request admin ${statements.admin.length} user ${statements.user.length}`,
  );
  return {
    row: row(k, path, admin, user, sql, checkStatements, statements),
    details: { admin, user, checkSql: sql, checkStatements, statements, loads: timed.loads },
  };
}

function row(
  k: Kind,
  path: string,
  admin: Summary,
  user: Summary,
  sql: Summary,
  checkStatements: number,
  statements: { admin: string[]; user: string[] },
): ResultRow {
  const ratio = user.p50 / admin.p50;
  return {
    what: `GET ${path.replace(/[0-9a-f-]{36}/, '{id}')} p50 / p99 (chain: ${k.chain})`,
    baseline: `${fmt(admin.p50)} / ${fmt(admin.p99)} ms`,
    result: `${fmt(user.p50)} / ${fmt(user.p99)} ms`,
    ratio,
    target: `p50 ≤ ${TARGET_RATIO}× the admin's`,
    met: ratio <= TARGET_RATIO,
    limits:
      `${statements.user.length} statements per request as the user, ${statements.admin.length} as the admin; ` +
      `the check's own ${checkStatements} (grants + ${checkStatements - 1} chain) through pg: ${fmt(sql.p50)} / ${fmt(sql.p99)} ms`,
  };
}

/** The grant is on the VM only: the user's request for a host of the VM's cluster is refused. */
async function expectForbidden(engine: EngineProcess, headers: Record<string, string>): Promise<void> {
  const hosts = await engine.ok<{ items: { id: string }[] }>('GET', '/api/v1/hosts');
  const res = await fetch(`${engine.baseUrl}/api/v1/hosts/${hosts.items[0].id}`, { headers });
  await res.arrayBuffer();
  if (res.status !== 403) throw new Error(`the restricted user read a host: ${res.status}`);
}

/** The statements one request runs: the fewest of a few requests (the engine's background loops share
 * the proxy), after a pause so that nothing of the previous request is counted. */
async function countStatements(
  counter: PgStatementCounter,
  request: () => Promise<unknown>,
): Promise<string[]> {
  let fewest: string[] | null = null;
  for (let i = 0; i < COUNT_SAMPLES; i++) {
    await sleep(50);
    counter.take();
    await request();
    await sleep(50);
    const seen = counter.take();
    if (!fewest || seen.length < fewest.length) fewest = seen;
  }
  return fewest!;
}

/** What the proxy adds to a round trip: a one-row statement through it vs straight to Postgres. */
async function proxyOverhead(
  direct: Pool,
  proxiedUrl: string,
  counter: PgStatementCounter,
): Promise<{ direct: Summary; proxied: Summary }> {
  const viaProxy = new Pool({ connectionString: proxiedUrl, max: 1 });
  try {
    const time = async (pool: Pool) => {
      const s = performance.now();
      await pool.query('SELECT $1::int AS one', [1]);
      return performance.now() - s;
    };
    const out = await interleave(
      200,
      () => time(direct),
      () => time(viaProxy),
      () => undefined,
    );
    counter.take();
    return { direct: summarize(out.baseline), proxied: summarize(out.kelpie) };
  } finally {
    await viaProxy.end();
  }
}

function notes(rounds: number, proxy: { direct: Summary; proxied: Summary }): string[] {
  return [
    `Engine: \`node apps/engine/dist/main.js\` in its own process, own database, no hosts or agents; the objects are rows (datacenter, cluster and network through the API, the rest in SQL). The client is \`fetch\` in the benchmark process; both callers present an API token, so they authenticate alike. ${rounds} interleaved rounds per object after 20 warm-up requests.`,
    "The admin's grants are all on the system, so its check skips the object's chain (AccessService.permissionsOn walks it only for grants on objects): the ratio is what a restricted caller pays for the chain and for evaluating grants that name objects. The chain's own cost is the last column: the check's statements run one after the other through `pg` from this process.",
    `Target: the user's p50 within ${TARGET_RATIO}× the admin's: the chain is 1–3 statements (a task's three) added to a request of a few ms.`,
    `Statements are counted by a TCP proxy in the benchmark process between the engine and Postgres (one per simple Query or Execute message), the fewest of ${COUNT_SAMPLES} requests; each request's statements (authentication, grants, chain, the route's own reads) are in the JSON. Every round trip of the engine passes that proxy: it adds ${fmt(proxy.proxied.p50 - proxy.direct.p50)} ms p50 to one (a one-row statement: ${fmt(proxy.direct.p50)} ms direct, ${fmt(proxy.proxied.p50)} ms through it), to the user's and the admin's requests alike.`,
  ];
}
