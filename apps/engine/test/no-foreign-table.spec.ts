import { Linter, RuleTester, type Rule } from 'eslint';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

// The rule is CommonJS so that eslint.config.mjs loads it without a build step.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require('../lint/no-foreign-table.cjs') as Rule.RuleModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tableOwners } = require('../lint/engine-features.cjs') as { tableOwners(): Map<string, string> };
const SRC = join(__dirname, '..', 'src');
const at = (rel: string) => join(SRC, rel);

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

const query = (sql: string) => `export const f = (db: any) => db.query(\`${sql}\`, []);`;

tester.run('no-foreign-table', rule, {
  valid: [
    { name: 'its own table', filename: at('hosts/host.repository.ts'), code: query('SELECT * FROM host h') },
    {
      name: 'words after FROM that are no table',
      filename: at('hosts/host.repository.ts'),
      code: query('SELECT extract(epoch FROM now()) FROM unnest($1::uuid[]) ON CONFLICT DO UPDATE SET x = 1'),
    },
    {
      name: 'the root (tools/) is not a feature',
      filename: at('tools/schema-check.ts'),
      code: query('SELECT * FROM vm JOIN host ON true'),
    },
    {
      name: 'a declared read model',
      filename: at('auth/access.repository.ts'),
      code: query('SELECT * FROM vm'),
      options: [{ baseline: { 'auth/access.repository.ts': ['vm'] } }],
    },
    {
      name: 'a query builder on its own table',
      filename: at('nics/x.repository.ts'),
      code: `export const f = (m: any) => m.createQueryBuilder().select('n.mac').from('nic', 'n');`,
    },
  ],
  invalid: [
    {
      name: "a JOIN on another feature's table",
      filename: at('vm-migration/migration.repository.ts'),
      code: query('SELECT m.* FROM vm_migration m JOIN task t ON t.id = m.task_id'),
      errors: [{ messageId: 'foreign', data: { table: 'task', owner: 'tasks', feature: 'vm-migration' } }],
    },
    {
      name: 'UPDATE, INSERT INTO and DELETE FROM, quoted',
      filename: at('gc/gc.repository.ts'),
      code: query('UPDATE "vm" SET x = 1; INSERT INTO disk VALUES (1); DELETE FROM public.host'),
      errors: [
        { messageId: 'foreign', data: { table: 'vm', owner: 'vms', feature: 'gc' } },
        { messageId: 'foreign', data: { table: 'disk', owner: 'disks', feature: 'gc' } },
        { messageId: 'foreign', data: { table: 'host', owner: 'hosts', feature: 'gc' } },
      ],
    },
    {
      name: 'SQL kept in a constant (an object of statements)',
      filename: at('auth/x.repository.ts'),
      code: `const SQL = { a: 'SELECT 1 FROM storage_domain' }; export const f = (db: any, t: 'a') => db.query(SQL[t]);`,
      errors: [
        {
          messageId: 'foreign',
          data: { table: 'storage_domain', owner: 'storage-domains', feature: 'auth' },
        },
      ],
    },
    {
      name: "a query builder joining another feature's table by name",
      filename: at('hosts/host.repository.ts'),
      code: `export const f = (r: any) => r.createQueryBuilder('h').innerJoin('cluster', 'c', 'c.id = h.cluster_id');`,
      errors: [{ messageId: 'foreign', data: { table: 'cluster', owner: 'clusters', feature: 'hosts' } }],
    },
    {
      name: "a query builder joining another feature's entity class",
      filename: at('disks/disk.repository.ts'),
      code: `import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
        export const f = (r: any) => r.createQueryBuilder('d').innerJoin(StorageDomainEntity, 'sd', 'true');`,
      errors: [
        {
          messageId: 'foreign',
          data: { table: 'StorageDomainEntity', owner: 'storage-domains', feature: 'disks' },
        },
      ],
    },
    {
      name: 'a baseline entry no longer used',
      filename: at('gc/gc.repository.ts'),
      code: query('SELECT 1 FROM gc_nothing'),
      options: [{ baseline: { 'gc/gc.repository.ts': ['host'] } }],
      errors: [{ messageId: 'stale', data: { table: 'host' } }],
    },
  ],
});

describe('the table ownership map and the declared read models', () => {
  const baseline = JSON.parse(
    readFileSync(join(__dirname, '..', 'lint', 'foreign-tables.json'), 'utf8'),
  ) as Record<string, string[]>;

  it('is read from the entities (each table to the folder of its entity)', () => {
    const owners = tableOwners();
    expect(owners.get('task')).toBe('tasks');
    expect(owners.get('vm_migration')).toBe('vm-migration');
    expect(owners.get('role_grant')).toBe('auth');
  });

  it('lists only files that exist (a deleted file leaves no exception behind)', () => {
    expect(Object.keys(baseline).filter((rel) => !existsSync(at(rel)))).toEqual([]);
  });

  it("fails a real engine file whose SQL joins another feature's table", () => {
    // The same check as `pnpm lint`, on a sample placed in a feature folder, with the real baseline.
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(
      query('SELECT c.* FROM cluster c JOIN host h ON h.cluster_id = c.id'),
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { kelpie: { rules: { 'no-foreign-table': rule } } },
          rules: { 'kelpie/no-foreign-table': ['error', { baseline }] },
        },
      ],
      at('clusters/sample.repository.ts'),
    );
    expect(messages.map((m) => [m.ruleId, m.severity])).toEqual([['kelpie/no-foreign-table', 2]]);
    expect(messages[0].message).toContain('names host, a table of hosts/');
  });
});
