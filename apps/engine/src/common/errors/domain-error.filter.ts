import { ApiErrorBody, ErrorCode } from '@kelpie/shared-types';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { CODE_BY_HTTP_STATUS, HTTP_STATUS_BY_CODE } from './http-status';
import { fromPostgresError } from './postgres-errors';

/** Maps every error to the one API error shape. Unknown errors are logged and become 500. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toBody(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(status).json(body);
  }

  private toBody(exception: unknown): { status: number; body: ApiErrorBody } {
    if (exception instanceof QueryFailedError) {
      const mapped = fromPostgresError(exception);
      if (mapped) exception = mapped;
    }
    if (exception instanceof DomainError) {
      return {
        status: HTTP_STATUS_BY_CODE[exception.code],
        body: { code: exception.code, message: exception.message, details: exception.details },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      return { status, body: { code: CODE_BY_HTTP_STATUS[status] ?? ErrorCode.Internal, message } };
    }
    return { status: 500, body: { code: ErrorCode.Internal, message: 'internal error' } };
  }
}
