import { ApiErrorBody, ErrorCode } from '@kelpie/shared-types';
import type { NextFunction, Request, Response } from 'express';

interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

/** Express error middleware for body-parser failures (bad JSON, too large, bad charset). */
export function bodyParserErrors(
  err: BodyParserError,
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (!err || typeof err.status !== 'number' || !err.type) return next(err);
  const status = err.status === 413 ? 413 : err.status === 415 ? 415 : 400;
  const reason =
    err.type === 'entity.too.large'
      ? 'request body is too large'
      : err.type === 'entity.parse.failed'
        ? 'request body is not valid JSON'
        : err.message;
  const body: ApiErrorBody = {
    code: ErrorCode.ValidationFailed,
    message: reason,
    details: [{ field: 'body', reason }],
  };
  res.status(status).json(body);
}
