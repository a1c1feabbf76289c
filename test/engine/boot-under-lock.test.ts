import { DataSource, dataSourceOptions, runMigrationsUnderLock } from '@kelpie/engine/testing';
import { startTestEngine, TestEngine } from '../support/engine';
import { createTestDatabase, TestDatabase } from '../support/services';

/** Every migration the engine knows, by name. */
const allMigrations = (dataSourceOptions('postgres://unused').migrations as { name: string }[]).map(
  (m) => m.name,
);

/** Two engines booting at the same moment on one fresh database: migrations run once, under a lock. */
describe('engine boot on a fresh database', () => {
  let db: TestDatabase;
  const engines: TestEngine[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const e of engines) await e.close().catch(() => undefined);
    await db?.drop();
  });

  it('applies each migration once when two migration runs start together (the second waits)', async () => {
    // No retries here (the engine's boot retries would hide a race): both runs must succeed first time.
    const scratch = await createTestDatabase();
    const sources = [0, 1].map(() => new DataSource({ ...dataSourceOptions(scratch.url), logging: false }));
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const applied = await Promise.all(sources.map((s) => runMigrationsUnderLock(s)));
      expect([...applied[0], ...applied[1]].sort()).toEqual([...allMigrations].sort());
      expect(applied.map((a) => a.length).sort()).toEqual([0, allMigrations.length]);
    } finally {
      for (const s of sources) if (s.isInitialized) await s.destroy();
      await scratch.drop();
    }
  });

  it('lets two engines started concurrently both come up with the complete schema', async () => {
    const started = await Promise.allSettled([startTestEngine({}, { db }), startTestEngine({}, { db })]);
    for (const s of started) if (s.status === 'fulfilled') engines.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);

    // Every migration applied exactly once.
    const rows = await engines[0].sql<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name).sort()).toEqual([...allMigrations].sort());
    // Nothing between the entities and the database: TypeORM would run no statement.
    const log = await engines[0].app.get(DataSource).driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
    // Both serve the same database.
    const dc = await engines[0].api('POST', '/api/v1/datacenters', { name: 'boot-lock' });
    expect(dc.status).toBe(201);
    const seen = await engines[1].api('GET', `/api/v1/datacenters/${dc.body.id}`);
    expect(seen.status).toBe(200);
  });
});
