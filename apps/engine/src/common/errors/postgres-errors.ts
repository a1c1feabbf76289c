import { ErrorCode } from '@kelpie/shared-types';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';

interface PgDriverError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** `Key (datacenter_id, name)=(…)` → ['datacenterId', 'name']. */
export function keyColumns(detail: string | undefined): string[] {
  const m = /Key \(([^)]*)\)/.exec(detail ?? '');
  return m ? m[1].split(',').map((c) => camel(c.trim().replace(/"/g, ''))) : [];
}

/** Constraint violations that slipped past the service checks (races) still become 4xx, not 500.
 * The field named is the last column of the key (e.g. `name` for unique (datacenter_id, name)). */
export function fromPostgresError(err: QueryFailedError): DomainError | undefined {
  const pg = err.driverError as PgDriverError;
  const columns = keyColumns(pg.detail);
  const field = columns.at(-1) ?? pg.constraint;
  switch (pg.code) {
    case '23505': {
      const scope = columns.length > 1 ? ` (unique per ${columns.slice(0, -1).join(', ')})` : '';
      return new DomainError(
        ErrorCode.Conflict,
        `${pg.table ?? 'object'} with this ${field} already exists${scope}`,
        [{ field, reason: `already used${scope}` }],
      );
    }
    case '23503':
      if ((pg.detail ?? '').includes('is not present')) {
        return new DomainError(ErrorCode.NotFound, `referenced object does not exist: ${field}`, [
          { field, reason: 'does not exist' },
        ]);
      }
      return new DomainError(
        ErrorCode.HasChildren,
        `still referenced: ${pg.detail ?? pg.constraint ?? ''}`.trim(),
        [{ reason: 'other objects still refer to it', field: pg.constraint }],
      );
    case '22P02': // invalid text representation
    case '22003': // numeric out of range
    case '22001': // string too long
    case '22021': // invalid byte sequence (NUL)
    case '22P05': // untranslatable character (\u0000 in jsonb)
    case '22007': // invalid datetime format
    case '22008': // datetime out of range
    case '23514': // check violation
    case '23502': // not null violation
      return new DomainError(
        ErrorCode.ValidationFailed,
        `invalid value${pg.constraint ? ` (${pg.constraint})` : ''}`,
        [{ field: pg.constraint, reason: err.message }],
      );
    default:
      return undefined;
  }
}
