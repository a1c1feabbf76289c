import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, Page, SortOrder } from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { validationFailed } from '../errors/domain-error';
import { estimatedRows } from './estimated-rows';
import { IsSafeText } from '../validation/validators';

export const OFFSET_MAX = 10_000_000;
/** Unfiltered lists of tables estimated larger than this report Postgres' estimate as their total. */
export const ESTIMATE_TOTAL_ABOVE = 10_000;

/** Query parameters every list accepts; each resource's list DTO extends it with its filters. */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIST_LIMIT_MAX)
  limit: number = LIST_LIMIT_DEFAULT;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(OFFSET_MAX)
  offset: number = 0;

  @ApiPropertyOptional({
    description: 'Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`).',
    example: 'name:asc',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z]{1,48}(:(asc|desc))?$/, { message: 'sort must be `field` or `field:asc|desc`' })
  sort?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name.', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsSafeText()
  q?: string;
}

export type FilterValue = string | number | boolean | string[];
export type FilterFn = (qb: SelectQueryBuilder<ObjectLiteral>, value: FilterValue, param: string) => void;

/** How one resource is listed: which API fields sort and filter on which SQL columns. */
export interface ListSpec {
  /** API field → SQL expression (`alias.column` property path). Only these may be sorted on. */
  sortable: Record<string, string>;
  defaultSort: string;
  defaultOrder?: SortOrder;
  /** Property path searched by `q` (ILIKE, wildcards escaped). */
  search?: string;
  /** Query parameter → property path (equality; arrays become IN) or a custom condition. */
  filters?: Record<string, string | FilterFn>;
}

export interface ParsedSort {
  field: string;
  column: string;
  order: 'ASC' | 'DESC';
}

export function parseSort(sort: string | undefined, spec: ListSpec): ParsedSort {
  const [field, order] = (sort ?? `${spec.defaultSort}:${spec.defaultOrder ?? 'asc'}`).split(':');
  const column = Object.hasOwn(spec.sortable, field) ? spec.sortable[field] : undefined;
  if (!column) {
    throw validationFailed(`cannot sort by ${field}`, [
      { field: 'sort', reason: `sort must be one of: ${Object.keys(spec.sortable).join(', ')}` },
    ]);
  }
  return { field, column, order: order === 'desc' ? 'DESC' : 'ASC' };
}

/** `%`, `_` and `\` are literal in a `q` search. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Applies filters, search, sort and paging in SQL and counts the matches: the one list helper.
 * Without any condition on a large table the count is Postgres' estimate (`totalEstimated`). */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: ListQueryDto,
  spec: ListSpec,
): Promise<Page<T>> {
  const sort = parseSort(query.sort, spec);
  const values = query as unknown as Record<string, FilterValue | undefined>;
  for (const [key, how] of Object.entries(spec.filters ?? {})) {
    const value = values[key];
    if (value === undefined || value === null) continue;
    const param = `f_${key}`;
    if (typeof how === 'function') how(qb as unknown as SelectQueryBuilder<ObjectLiteral>, value, param);
    else if (Array.isArray(value)) qb.andWhere(`${how} IN (:...${param})`, { [param]: value });
    else qb.andWhere(`${how} = :${param}`, { [param]: value });
  }
  if (query.q && spec.search) {
    qb.andWhere(`${spec.search} ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q)}%` });
  }
  qb.orderBy(sort.column, sort.order).addOrderBy(`${qb.alias}.id`, 'ASC');
  qb.offset(query.offset).limit(query.limit);
  const page = { limit: query.limit, offset: query.offset };
  const unfiltered = qb.expressionMap.wheres.length === 0 && qb.expressionMap.joinAttributes.length === 0;
  // The page and its total are read side by side (two pool connections), not one after the other.
  const [items, counted] = await Promise.all([qb.getMany(), unfiltered ? estimatedRows(qb) : qb.getCount()]);
  if (!unfiltered) return { items, total: counted ?? 0, ...page };
  if (counted === null || counted <= ESTIMATE_TOTAL_ABOVE)
    return { items, total: await qb.getCount(), ...page };
  // A page that is not full ends the list: its end is the exact total.
  if (items.length < query.limit && (items.length > 0 || query.offset === 0))
    return { items, total: query.offset + items.length, ...page };
  // An empty page past the end: the estimate was too high, and only a count says where the end is.
  if (items.length === 0) return { items, total: await qb.getCount(), ...page };
  return { items, total: Math.max(counted, query.offset + items.length), totalEstimated: true, ...page };
}
