import { ESTIMATE_TOTAL_ABOVE } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';
import { eventually } from '../support/platform';

const V1 = '/api/v1';
const ROWS = ESTIMATE_TOTAL_ABOVE + 2_000;

/** Totals of lists: exact when filtered or small; Postgres' estimate for an unfiltered large table. */
describe('list totals', () => {
  let e: TestEngine;

  beforeAll(async () => {
    e = await startTestEngine();
    // Only the test's own ANALYZE: the first case is about a table Postgres never analyzed.
    await e.sql(`ALTER TABLE datacenter SET (autovacuum_enabled = false)`);
    await e.sql(
      `INSERT INTO datacenter (id, name) SELECT gen_random_uuid(), 'dc-' || g FROM generate_series(1, $1) g`,
      [ROWS],
    );
  });
  afterAll(async () => e.close());

  it("estimates from the statistics collector's live-row count before the table was ever analyzed", async () => {
    const [{ reltuples }] = await e.sql<{ reltuples: number }>(
      `SELECT reltuples FROM pg_class WHERE oid = 'datacenter'::regclass`,
    );
    expect(Number(reltuples)).toBe(-1);
    // Backends send their row counts to the collector when idle, within about a second.
    const res = await eventually(
      'an estimated total',
      async () => {
        const r = await e.api('GET', `${V1}/datacenters?limit=5`);
        return r.body.totalEstimated === true ? r : undefined;
      },
      20_000,
      200,
    );
    expect(res.body.items).toHaveLength(5);
    expect(Math.abs(res.body.total - ROWS)).toBeLessThan(ROWS * 0.05);
  });

  it('counts exactly a table under the estimate threshold', async () => {
    const res = await e.api('GET', `${V1}/clusters?limit=5`);
    expect(res.body).toMatchObject({ total: 0, items: [] });
    expect(res.body.totalEstimated).toBeUndefined();
  });

  it('reports the estimate of a large unfiltered table, marked as such, close to the real count', async () => {
    await e.sql(`ANALYZE datacenter`);
    const res = await e.api('GET', `${V1}/datacenters?limit=5`);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.totalEstimated).toBe(true);
    expect(Math.abs(res.body.total - ROWS)).toBeLessThan(ROWS * 0.05);
  });

  it('follows rows added since the last ANALYZE (rows per page × pages now)', async () => {
    await e.sql(
      `INSERT INTO datacenter (id, name) SELECT gen_random_uuid(), 'more-' || g FROM generate_series(1, $1) g`,
      [ROWS],
    );
    const res = await e.api('GET', `${V1}/datacenters?limit=5`);
    expect(res.body.totalEstimated).toBe(true);
    expect(Math.abs(res.body.total - 2 * ROWS)).toBeLessThan(ROWS * 0.1);
  });

  it('counts exactly when filtered, and at the end of the list', async () => {
    const filtered = await e.api('GET', `${V1}/datacenters?limit=5&q=more-1`);
    const [{ n }] = await e.sql<{ n: string }>(
      `SELECT count(*) AS n FROM datacenter WHERE name LIKE '%more-1%'`,
    );
    expect(filtered.body.total).toBe(Number(n));
    expect(filtered.body.totalEstimated).toBeUndefined();
    const last = await e.api('GET', `${V1}/datacenters?limit=100&offset=${2 * ROWS - 10}`);
    expect(last.body.items).toHaveLength(10);
    expect(last.body).toMatchObject({ total: 2 * ROWS });
    expect(last.body.totalEstimated).toBeUndefined();
  });

  it('counts exactly when a page past the real end comes back empty (the estimate was too high)', async () => {
    // Deleted rows stay in the estimate until the next ANALYZE.
    await e.sql(`DELETE FROM datacenter WHERE name LIKE 'more-%'`);
    const [{ n }] = await e.sql<{ n: string }>(`SELECT count(*) AS n FROM datacenter`);
    const head = await e.api('GET', `${V1}/datacenters?limit=5`);
    expect(head.body.totalEstimated).toBe(true);
    expect(head.body.total).toBeGreaterThan(Number(n) + 100);
    const past = await e.api('GET', `${V1}/datacenters?limit=100&offset=${Number(n) + 100}`);
    expect(past.body).toMatchObject({ items: [], total: Number(n) });
    expect(past.body.totalEstimated).toBeUndefined();
  });
});
