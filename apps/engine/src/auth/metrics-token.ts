import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the dedicated metrics token as its bearer. Compared in constant time
 * (over digests, so the token's length does not leak either). */
export function presentsMetricsToken(req: Request, token: string | undefined): boolean {
  if (!token) return false;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  return !!match && timingSafeEqual(digest(match[1]!), digest(token));
}
