import type { AuditActor } from '@kelpie/shared-types';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** The authenticated caller of one request, set by the AuthGuard. */
export interface Principal {
  userId: string;
  username: string;
  /** The user's groups (grants to a group apply to its members). */
  groupIds: string[];
  via: 'session' | 'token';
  tokenId: string | null;
  /** A read-only token holds `view` only, whatever its user's roles. */
  readOnly: boolean;
  sourceAddress: string | null;
  /** SHA-256 of the session cookie (logout); null for tokens. */
  sessionHash: string | null;
}

/** One per request, filled in by the guard once it knows who is calling. Work the request starts
 * (tasks that outlive the response included) keeps it, so their audit events name the same actor. */
interface RequestContext {
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Express middleware: opens the request's context before any route code runs. */
export function requestContext(_req: Request, _res: Response, next: NextFunction): void {
  storage.run({}, next);
}

export function bindPrincipal(principal: Principal): void {
  const ctx = storage.getStore();
  if (ctx) ctx.principal = principal;
}

export function currentPrincipal(): Principal | undefined {
  return storage.getStore()?.principal;
}

/** The actor the audit log records for the work in progress; null for the engine's own work. */
export function currentActor(): AuditActor | null {
  const p = currentPrincipal();
  if (!p) return null;
  return { userId: p.userId, username: p.username, tokenId: p.tokenId, sourceAddress: p.sourceAddress };
}
