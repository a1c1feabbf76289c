import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { escapeLike, ListQueryDto, ListSpec, parseSort } from './list-query';

const spec: ListSpec = { sortable: { name: 'x.name', createdAt: 'x.createdAt' }, defaultSort: 'name' };

describe('parseSort', () => {
  it('defaults to the spec sort ascending', () => {
    expect(parseSort(undefined, spec)).toEqual({ field: 'name', column: 'x.name', order: 'ASC' });
    expect(parseSort(undefined, { ...spec, defaultSort: 'createdAt', defaultOrder: 'desc' }).order).toBe(
      'DESC',
    );
  });

  it('reads field:desc and field:asc', () => {
    expect(parseSort('createdAt:desc', spec)).toEqual({
      field: 'createdAt',
      column: 'x.createdAt',
      order: 'DESC',
    });
    expect(parseSort('name:asc', spec).order).toBe('ASC');
  });

  it('rejects fields outside the whitelist (also inherited object keys), naming `sort`', () => {
    for (const bad of ['password', 'constructor', 'toString', '__proto__']) {
      try {
        parseSort(bad, spec);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).details?.[0]).toMatchObject({ field: 'sort' });
      }
    }
  });
});

describe('escapeLike', () => {
  it('makes %, _ and \\ literal', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(escapeLike('plain')).toBe('plain');
  });
});

describe('ListQueryDto', () => {
  const check = (q: Record<string, unknown>) => {
    const dto = plainToInstance(ListQueryDto, q);
    return { dto, errors: validateSync(dto).map((e) => e.property) };
  };

  it('applies defaults and converts query strings to numbers', () => {
    expect(check({}).dto).toMatchObject({ limit: 50, offset: 0 });
    expect(check({ limit: '20', offset: '40' }).dto).toMatchObject({ limit: 20, offset: 40 });
  });

  it('bounds limit and offset and shapes sort', () => {
    expect(check({ limit: '0' }).errors).toEqual(['limit']);
    expect(check({ limit: '501' }).errors).toEqual(['limit']);
    expect(check({ limit: 'abc' }).errors).toEqual(['limit']);
    expect(check({ offset: '-1' }).errors).toEqual(['offset']);
    expect(check({ sort: 'name:sideways' }).errors).toEqual(['sort']);
    expect(check({ sort: 'name;drop' }).errors).toEqual(['sort']);
    expect(check({ q: 'a\u0000' }).errors).toEqual(['q']);
    expect(check({ sort: 'name:desc', q: 'web' }).errors).toEqual([]);
  });
});
