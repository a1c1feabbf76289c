import { ErrorCode } from '@kelpie/shared-types';
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { DomainError } from '../common/errors/domain-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF and DNS-rebinding defence for state-changing requests and WebSocket upgrades: a browser always
 * sends `Origin` on those, and it must be the engine's own origin (scheme + the Host it was reached
 * at) or one listed in KELPIE_ALLOWED_ORIGINS. `Sec-Fetch-Site: cross-site` is refused as well.
 * Clients that are not browsers (scripts with a token) send neither header and pass; a cookie
 * session without `Origin` does not (a browser that sends the cookie sends the Origin too).
 */
export function assertSameOrigin(
  req: IncomingMessage,
  allowed: readonly string[],
  opts: { upgrade?: boolean; cookieSession: boolean; trustProxy?: boolean },
): void {
  if (!opts.upgrade && SAFE_METHODS.has(req.method ?? 'GET')) return;
  const origin = header(req, 'origin');
  const site = header(req, 'sec-fetch-site');
  if (site === 'cross-site') throw refused('a cross-site request is not accepted');
  if (!origin || origin === 'null') {
    if (opts.cookieSession || origin === 'null')
      throw refused('a browser request must carry the Origin of the portal');
    return;
  }
  const host = header(req, 'host') ?? '';
  // Behind a trusted proxy the browser may have used https while the engine hears http.
  const schemes = opts.trustProxy ? ['http', 'https'] : [req.socket instanceof TLSSocket ? 'https' : 'http'];
  const own = schemes.map((s) => `${s}://${host}`);
  if (!own.includes(origin) && !allowed.includes(origin))
    throw refused(`requests from origin ${origin.slice(0, 100)} are not accepted`);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const refused = (message: string) =>
  new DomainError(ErrorCode.Forbidden, message, [{ field: 'Origin', reason: 'not the engine origin' }]);
