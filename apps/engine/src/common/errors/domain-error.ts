import { ApiErrorDetail, ErrorCode } from '@kelpie/shared-types';

/** Services throw these; DomainErrorFilter is the one place that turns a code into an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiErrorDetail[],
  ) {
    super(message);
  }
}

export const notFound = (type: string, id: string) =>
  new DomainError(ErrorCode.NotFound, `${type} ${id} does not exist`, [
    { reason: 'not found', ref: { type, id } },
  ]);

export const invalidState = (message: string, details?: ApiErrorDetail[]) =>
  new DomainError(ErrorCode.InvalidState, message, details);

export const conflict = (message: string, details?: ApiErrorDetail[]) =>
  new DomainError(ErrorCode.Conflict, message, details);

export const validationFailed = (message: string, details: ApiErrorDetail[]) =>
  new DomainError(ErrorCode.ValidationFailed, message, details);
