import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { principalOf } from '../identity/principal';

/** Who asked and which correlation id ties the resulting tasks and events together. */
export interface RequestMeta {
  actor: string;
  correlationId: string;
}

const SAFE = /^[A-Za-z0-9_.@:-]{1,64}$/;

/** The client's `X-Correlation-Id` when it is a safe word, else a new one. The request logger calls
 * this once per request (its `correlationId` is on every log line the request writes) and answers it
 * in the response header, so a caller can find their request in the logs. */
export function correlationIdOf(req: Pick<Request, 'headers'>): string {
  const corr = req.headers['x-correlation-id'];
  return typeof corr === 'string' && SAFE.test(corr) ? corr : randomUUID();
}

/** The actor is the authenticated user (set by the AuthGuard), never something the client claims. */
export function requestMetaFrom(req: Request): RequestMeta {
  const id = (req as { id?: unknown }).id;
  return {
    actor: principalOf(req)?.username ?? 'anonymous',
    correlationId: typeof id === 'string' && SAFE.test(id) ? id : correlationIdOf(req),
  };
}

export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaFrom(ctx.switchToHttp().getRequest<Request>()),
);

export const SYSTEM_META: RequestMeta = { actor: 'system', correlationId: 'system' };
