import { ESTIMATE_TOTAL_ABOVE } from '../../apps/engine/src/common/list/list-query';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';
const ROWS = ESTIMATE_TOTAL_ABOVE + 2_000;

/** Totals of lists: exact when filtered or small; Postgres' estimate for an unfiltered large table. */
describe('list totals', () => {
  let e: TestEngine;

  beforeAll(async () => {
    e = await startTestEngine();
    await e.sql(
      `INSERT INTO datacenter (id, name) SELECT gen_random_uuid(), 'dc-' || g FROM generate_series(1, $1) g`,
      [ROWS],
    );
  });
  afterAll(async () => e.close());

  it('counts exactly while the table has never been analyzed', async () => {
    const res = await e.api('GET', `${V1}/datacenters?limit=5`);
    expect(res.body).toMatchObject({ total: ROWS, limit: 5, offset: 0 });
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
});
