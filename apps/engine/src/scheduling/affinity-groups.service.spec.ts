import { AffinityPolarity } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { StrictValidationPipe } from '../common/validation/strict-validation.pipe';
import { validationExceptionFactory } from '../common/validation/validation-exception.factory';
import { AffinityGroupEntity, AffinityGroupHostEntity, AffinityGroupVmEntity } from './affinity-group.entity';
import { CreateAffinityGroupDto } from './affinity-group.dto';
import { AffinityGroupsService } from './affinity-groups.service';

/** The body as the engine's global pipe (app.factory.ts) turns it into the DTO, or its 400. */
const pipe = new StrictValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  exceptionFactory: validationExceptionFactory,
});
const asDto = (body: object) =>
  pipe.transform(body, { type: 'body', metatype: CreateAffinityGroupDto }) as Promise<CreateAffinityGroupDto>;

const base = { name: 'apart', polarity: AffinityPolarity.Negative, enforcing: true };
const VM = '11111111-1111-4111-8111-111111111111';

/** The service over in-memory rows: what create inserts is what get reads back. */
function setup() {
  const rows = new Map<unknown, object[]>([
    [AffinityGroupEntity, []],
    [AffinityGroupVmEntity, []],
    [AffinityGroupHostEntity, []],
  ]);
  const manager = {
    insert: jest.fn(async (entity: unknown, v: object | object[]) => {
      const now = new Date();
      for (const row of Array.isArray(v) ? v : [v])
        rows
          .get(entity)!
          .push(entity === AffinityGroupEntity ? { ...row, createdAt: now, updatedAt: now } : row);
    }),
  };
  const db = { transaction: async (work: (m: typeof manager) => Promise<void>) => work(manager) };
  const repo = (entity: unknown) => ({
    findOneBy: async (w: { id: string }) => rows.get(entity)!.find((r) => (r as { id: string }).id === w.id),
    findBy: async () => rows.get(entity)!,
  });
  const summariesOf = jest.fn(async (ids: string[]) => ids.map((id) => ({ id, clusterId: 'c1' })));
  const svc = new AffinityGroupsService(
    db as never,
    repo(AffinityGroupEntity) as never,
    repo(AffinityGroupVmEntity) as never,
    repo(AffinityGroupHostEntity) as never,
    { find: async (id: string) => ({ id }) } as never,
    { summariesOf } as never,
    { clustersOf: async () => [] } as never,
    { record: jest.fn(async () => undefined) } as never,
  );
  return { svc, manager, summariesOf };
}
const meta = { correlationId: 'x' } as never;

describe('affinity group create without members', () => {
  it('accepts a body without vmIds (or with null): an empty group, members added later', async () => {
    expect(await asDto(base)).toMatchObject(base);
    expect(await asDto({ ...base, vmIds: null, hostIds: null })).toMatchObject(base);
  });

  it('still refuses bad members with 400 naming vmIds', async () => {
    const err = await asDto({ ...base, vmIds: ['not-a-uuid'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details).toEqual([
      { field: 'vmIds', reason: 'each value in vmIds must be a UUID' },
    ]);
    const str = await asDto({ ...base, vmIds: VM }).catch((e: unknown) => e);
    expect((str as DomainError).details).toContainEqual({ field: 'vmIds', reason: 'vmIds must be an array' });
  });

  it.each([
    ['omitted', {}],
    ['null', { vmIds: null, hostIds: null }],
  ])(
    'members %s: the group is stored with no member rows and read back with empty lists',
    async (_, members) => {
      const { svc, manager, summariesOf } = setup();
      const group = await svc.create('c1', await asDto({ ...base, ...members }), meta);
      expect(group).toMatchObject({ ...base, clusterId: 'c1', description: '', vmIds: [], hostIds: [] });
      // One insert: the group. No member rows, and no VM look-up for nothing.
      expect(manager.insert.mock.calls.map((c) => c[0])).toEqual([AffinityGroupEntity]);
      expect(summariesOf).not.toHaveBeenCalled();
    },
  );

  it('members given: checked and stored', async () => {
    const { svc } = setup();
    const group = await svc.create('c1', await asDto({ ...base, vmIds: [VM, VM] }), meta);
    expect(group.vmIds).toEqual([VM]);
  });
});
