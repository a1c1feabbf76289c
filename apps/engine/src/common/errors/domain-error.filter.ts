import { ApiErrorBody, ErrorCode } from '@kelpie/shared-types';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { CODE_BY_HTTP_STATUS, HTTP_STATUS_BY_CODE } from './http-status';
import { isDatabaseUnavailable } from './database-unavailable';
import { fromPostgresError } from './postgres-errors';

/** A feature's own failure as the DomainError it means to an API client; undefined for other errors. */
export type ErrorTranslator = (exception: unknown) => DomainError | undefined;

/**
 * Maps every error to the one API error shape. Features whose failures have codes of their own (the
 * agents' command failures) give a translator, so one that reaches a request unwrapped still gets its
 * status from that feature's exhaustive table instead of a 500. A 4xx is the client's mistake and an expected answer:
 * one info line, no stack (an operator's log must not fill with refused requests). A 5xx the engine
 * answers on purpose (host unavailable, timeout, database away) is one warning line; any other 5xx is
 * a bug, logged as an error with its stack.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly translators: readonly ErrorTranslator[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    for (const translate of this.translators) exception = translate(exception) ?? exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request | undefined>();
    const res = http.getResponse<Response>();
    const { status, body } = this.toBody(exception);
    const what = `${req?.method ?? '?'} ${req?.originalUrl ?? req?.url ?? '?'} -> ${status}`;
    if (body.code === ErrorCode.DatabaseUnavailable) {
      this.logger.warn(`${what} ${body.code}: ${exception instanceof Error ? exception.message : ''}`);
    } else if (status >= 500 && exception instanceof DomainError && body.code !== ErrorCode.Internal) {
      // An answer the engine chose (host unavailable, a command timed out): the state of the fleet,
      // not a bug. One warning line; a stack would only point at where the answer was built.
      this.logger.warn(`${what} ${body.code}: ${body.message}`);
    } else if (status >= 500) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${what}: ${detail}`);
    } else {
      this.logger.log(`${what} ${body.code}: ${body.message}`);
    }
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
    if (isDatabaseUnavailable(exception)) {
      // An outage, not a bug: the client may retry; the engine reconnects by itself.
      return {
        status: 503,
        body: {
          code: ErrorCode.DatabaseUnavailable,
          message: 'the engine cannot reach its database right now; retry in a few seconds',
        },
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
