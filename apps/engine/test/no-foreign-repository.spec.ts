import { Linter, RuleTester, type Rule } from 'eslint';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

// The rule is CommonJS so that eslint.config.mjs loads it without a build step.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require('../lint/no-foreign-repository.cjs') as Rule.RuleModule;
const SRC = join(__dirname, '..', 'src');
const at = (rel: string) => join(SRC, rel);

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

const inject = (from: string, entity: string) => `
  import { InjectRepository } from '@nestjs/typeorm';
  import { ${entity} } from '${from}';
  export class S { constructor(@InjectRepository(${entity}) private readonly r: unknown) {} }`;

tester.run('no-foreign-repository', rule, {
  valid: [
    {
      name: 'own entity',
      filename: at('hosts/host.repository.ts'),
      code: inject('./host.entity', 'HostEntity'),
    },
    {
      name: 'own entity through a sibling path',
      filename: at('hosts/sub/x.ts'),
      code: inject('../host.entity', 'HostEntity'),
    },
    {
      name: 'the root (database/, tools/) is not a feature',
      filename: at('tools/schema-check.ts'),
      code: inject('../hosts/host.entity', 'HostEntity'),
    },
    {
      name: 'a listed exception',
      filename: at('vm-power/x.service.ts'),
      code: inject('../hosts/host.entity', 'HostEntity'),
      options: [{ baseline: { 'vm-power/x.service.ts': ['HostEntity'] } }],
    },
    {
      name: 'getRepository of its own entity',
      filename: at('disks/x.ts'),
      code: `import { DiskEntity } from './disk.entity'; export const f = (m: any) => m.getRepository(DiskEntity);`,
    },
    {
      name: 'an EntityManager call on its own entity',
      filename: at('disks/x.ts'),
      code: `import { DiskEntity } from './disk.entity'; export const f = (tx: any) => tx.update(DiskEntity, {}, {});`,
    },
    {
      name: 'a string that is no entity',
      filename: at('hosts/x.ts'),
      code: `export const f = (m: any) => m.find('x');`,
    },
  ],
  invalid: [
    {
      name: "another feature's entity injected",
      filename: at('scheduling/scheduling.repository.ts'),
      code: inject('../hosts/host.entity', 'HostEntity'),
      errors: [
        { messageId: 'foreign', data: { entity: 'HostEntity', owner: 'hosts', feature: 'scheduling' } },
      ],
    },
    {
      name: "getRepository of another feature's entity",
      filename: at('storage-lifecycle/x.repository.ts'),
      code: `import { HostEntity } from '../hosts/host.entity'; export const f = (db: any) => db.getRepository(HostEntity);`,
      errors: [{ messageId: 'foreign' }],
    },
    {
      name: "an EntityManager call on another feature's entity (a transaction's read or write)",
      filename: at('vm-migration/x.ts'),
      code: `import { VmEntity } from '../vms/vm.entity'; export const f = (db: any) => db.manager.findOneBy(VmEntity, { id: '1' });`,
      errors: [{ messageId: 'foreign', data: { entity: 'VmEntity', owner: 'vms', feature: 'vm-migration' } }],
    },
    {
      name: 'an entity by name',
      filename: at('clusters/clusters.service.ts'),
      code: `export const f = (m: any) => m.find('HostEntity', { where: {} });`,
      errors: [{ messageId: 'byName' }],
    },
    {
      name: 'an entity by name in data',
      filename: at('clusters/clusters.service.ts'),
      code: `export const children = [{ entity: 'VmEntity', field: 'clusterId' }];`,
      errors: [{ messageId: 'byName' }],
    },
    {
      name: 'a baseline entry no longer used',
      filename: at('vm-power/x.service.ts'),
      code: `export const x = 1;`,
      options: [{ baseline: { 'vm-power/x.service.ts': ['HostEntity'] } }],
      errors: [{ messageId: 'stale', data: { entity: 'HostEntity' } }],
    },
  ],
});

describe('the repository configuration', () => {
  const baseline = JSON.parse(
    readFileSync(join(__dirname, '..', 'lint', 'foreign-repositories.json'), 'utf8'),
  ) as Record<string, string[]>;

  it('lists only files that exist (a deleted file leaves no exception behind)', () => {
    expect(Object.keys(baseline).filter((rel) => !existsSync(at(rel)))).toEqual([]);
  });

  it("fails a real engine file that injects another feature's repository", () => {
    // The same check as `pnpm lint`, on a sample placed in a feature folder, with the real baseline.
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(
      inject('../hosts/host.entity', 'HostEntity'),
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { kelpie: { rules: { 'no-foreign-repository': rule } } },
          rules: { 'kelpie/no-foreign-repository': ['error', { baseline }] },
        },
      ],
      at('clusters/sample.service.ts'),
    );
    expect(messages.map((m) => [m.ruleId, m.severity])).toEqual([['kelpie/no-foreign-repository', 2]]);
    expect(messages[0].message).toContain('HostEntity belongs to hosts/');
  });
});
