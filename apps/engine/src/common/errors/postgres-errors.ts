import { ErrorCode } from '@kelpie/shared-types';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';

interface PgDriverError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Constraint violations that slipped past the service checks (races) still become 409, not 500. */
export function fromPostgresError(err: QueryFailedError): DomainError | undefined {
  const pg = err.driverError as PgDriverError;
  switch (pg.code) {
    case '23505':
      return new DomainError(ErrorCode.Conflict, `already exists: ${pg.detail ?? pg.constraint ?? ''}`.trim(), [
        { reason: 'unique constraint', field: pg.constraint },
      ]);
    case '23503':
      return new DomainError(ErrorCode.HasChildren, `still referenced: ${pg.detail ?? pg.constraint ?? ''}`.trim(), [
        { reason: 'foreign key constraint', field: pg.constraint },
      ]);
    case '22P02':
    case '22003':
    case '23514':
      return new DomainError(ErrorCode.ValidationFailed, `invalid value: ${pg.detail ?? err.message}`, [
        { reason: err.message },
      ]);
    default:
      return undefined;
  }
}
