import { SESSION_COOKIE } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AccessService } from './access.service';
import { CredentialsService, unauthorized } from './credentials.service';
import type { Principal } from '../common/identity/request-context';

/** Turns a request's credentials (Bearer token, else session cookie) into a Principal. Shared by
 * the HTTP guard and the WebSocket upgrades, which Nest's guards do not see. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly access: AccessService,
  ) {}

  async authenticate(headers: IncomingHttpHeaders, sourceAddress: string | null): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    const cookie = cookieValue(headers.cookie, SESSION_COOKIE);
    if (headers.authorization && !bearer)
      throw unauthorized('only "Authorization: Bearer <token>" is accepted');
    if (!bearer && !cookie) throw unauthorized();
    const auth = bearer
      ? await this.credentials.fromToken(bearer)
      : await this.credentials.fromSession(cookie!);
    return {
      userId: auth.user.id,
      username: auth.user.username,
      groupIds: await this.access.groupIdsOf(auth.user.id),
      via: bearer ? 'token' : 'session',
      tokenId: auth.tokenId,
      readOnly: auth.readOnly,
      sourceAddress,
      sessionHash: auth.sessionHash,
    };
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
