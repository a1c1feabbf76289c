import { SESSION_COOKIE } from '@kelpie/shared-types';
import type { Request, Response } from 'express';
import { Principal } from '../common/identity/request-context';
import { UserEntity } from './auth.entities';

/** The session cookie, the same for every way of logging in: HttpOnly, SameSite=Strict, Secure over TLS. */
export function setSessionCookie(req: Request, res: Response, cookie: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, cookie, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

/** The caller a login request becomes once the session is open (the login's audit event names it). */
export function sessionPrincipal(user: UserEntity, groupIds: string[], address: string): Principal {
  return {
    userId: user.id,
    username: user.username,
    groupIds,
    via: 'session',
    tokenId: null,
    readOnly: false,
    sourceAddress: address,
    sessionHash: null,
  };
}
