import { MigrationRepository } from './migration.repository';

/** vm_migration rows as the repository's own statements return them; task states asked of the tasks. */
function harness(rows: { id: string; vm_id: string; source_host_id: string; target_host_id: string }[]) {
  const statements: { sql: string; params?: unknown[] }[] = [];
  const query = jest.fn(async (sql: string, params?: unknown[]) => {
    statements.push({ sql, params });
    return /^\s*UPDATE/.test(sql) ? [] : rows;
  });
  const db = { manager: { query }, query };
  const taskStatus: Record<string, string> = { m1: 'running', m2: 'queued', m3: 'succeeded' };
  const tasks = {
    activeAmong: jest.fn(
      async (ids: string[]) =>
        new Set(ids.filter((id) => ['queued', 'running'].includes(taskStatus[id] ?? ''))),
    ),
    statusesOf: jest.fn(
      async (ids: string[]) => new Map(ids.flatMap((id) => (taskStatus[id] ? [[id, taskStatus[id]]] : []))),
    ),
  };
  const repo = new MigrationRepository(db as never, {} as never, {} as never, {} as never, tasks as never);
  return { repo, statements };
}

describe('migration rows count as running only while their task is (asked of the tasks)', () => {
  const rows = [
    { id: 'm1', vm_id: 'v1', source_host_id: 'h1', target_host_id: 'h2' },
    { id: 'm2', vm_id: 'v2', source_host_id: 'h1', target_host_id: 'h3' },
    // Its task ended without the row: not counted (closeStaleRows closes it).
    { id: 'm3', vm_id: 'v3', source_host_id: 'h1', target_host_id: 'h2' },
    // No task row at all: neither counted nor closed.
    { id: 'm4', vm_id: 'v4', source_host_id: 'h1', target_host_id: 'h2' },
  ];

  it('admission counts: busy VM, outgoing of the source, incoming of the target', async () => {
    const { repo } = harness(rows);
    await expect(repo.admissionCounts('v1', 'h1', 'h2')).resolves.toEqual({
      busy: true,
      outgoing: 2,
      incoming: 1,
    });
    await expect(repo.admissionCounts('v3', 'h3', 'h3')).resolves.toEqual({
      busy: false,
      outgoing: 0,
      incoming: 1,
    });
  });

  it('closes only the running rows whose task exists and is over', async () => {
    const { repo, statements } = harness(rows);
    await repo.closeStaleRows();
    const update = statements.find((s) => /^\s*UPDATE/.test(s.sql));
    expect(update?.params).toEqual([['m3']]);
  });
});

/** The repository over a data source that only answers `query` (statements on its own table). */
const overQuery = (query: jest.Mock) =>
  new MigrationRepository({ query } as never, {} as never, {} as never, {} as never, {} as never);

describe('the ownership facts it provides to agents (MigrationFactsPort)', () => {
  it("activeOf: the VM's newest running row whose task is active (the task asked of the tasks)", async () => {
    // Newest first, as the statement orders them: m3's task is over, so m2 is the answer.
    const { repo, statements } = harness([
      { id: 'm3', vm_id: 'v1', source_host_id: 'h1', target_host_id: 'h2' },
      { id: 'm2', vm_id: 'v1', source_host_id: 'h1', target_host_id: 'h3' },
    ]);
    await expect(repo.activeOf('v1')).resolves.toEqual({
      id: 'm2',
      source_host_id: 'h1',
      target_host_id: 'h3',
    });
    expect(statements[0]!.sql).toMatch(/ORDER BY created_at DESC/);
    expect(statements[0]!.sql).not.toMatch(/\btask\b/);
  });

  it('activeOf: nothing when no row has an active task', async () => {
    const { repo } = harness([{ id: 'm3', vm_id: 'v1', source_host_id: 'h1', target_host_id: 'h2' }]);
    await expect(repo.activeOf('v1')).resolves.toBeUndefined();
  });

  it('recordFact: one UPDATE of the named fact, both facts returned (pg returns [rows, count])', async () => {
    const facts = { target_running_at: new Date(), source_gone_at: null };
    const query = jest.fn(async () => [[facts], 1]);
    const repo = overQuery(query);
    await expect(repo.recordFact('m1', 'target_running_at')).resolves.toEqual(facts);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/SET target_running_at = COALESCE/), ['m1']);
  });

  it('runningVmIds: the VMs of every running row, whatever their task', async () => {
    const query = jest.fn(async () => [{ vm_id: 'v1' }, { vm_id: 'v2' }]);
    const repo = overQuery(query);
    await expect(repo.runningVmIds()).resolves.toEqual(new Set(['v1', 'v2']));
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/status = 'running'/));
  });
});

describe('a migration in the grant tree (MigrationAccess)', () => {
  it("inherits from its VM's chain; null when the row does not exist", async () => {
    const query = jest.fn(async (_sql: string, [id]: string[]) => (id === 'm1' ? [{ vm_id: 'v1' }] : []));
    const repo = overQuery(query);
    await expect(repo.accessLink('m1')).resolves.toEqual({ refs: [], up: { type: 'vm', id: 'v1' } });
    await expect(repo.accessLink('m9')).resolves.toBeNull();
  });
});
