import { ErrorCode } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';

/** Until authentication exists, a client is the user its portal names, else its address. */
export const CLIENT_HEADER = 'x-kelpie-user';

export function streamClientKey(req: Request): string {
  const user = req.header(CLIENT_HEADER)?.trim();
  return user ? `user:${user.slice(0, 128)}` : `addr:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Counts the live-stream connections each client holds on this engine, so one client (a script
 * that opens streams in a loop, a portal with hundreds of tabs) cannot take the engine's sockets
 * and memory: past `KELPIE_STREAM_MAX_PER_CLIENT` the next one is refused with 429.
 */
@Injectable()
export class StreamClientsService {
  private readonly open = new Map<string, number>();

  constructor(@Inject(ENGINE_CONFIG) private readonly config: EngineConfig) {}

  /** Registers one connection of `key`, or throws 429; call the returned function exactly once on close. */
  acquire(key: string): () => void {
    const held = this.open.get(key) ?? 0;
    const max = this.config.streamMaxPerClient;
    if (held >= max) {
      throw new DomainError(
        ErrorCode.RateLimited,
        `too many live-stream connections for this client (${max} open, at most ${max}); close one first`,
        [{ field: CLIENT_HEADER, reason: `at most ${max} live-stream connections per client` }],
      );
    }
    this.open.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Connections held per client on this engine (diagnostics and tests). */
  held(key: string): number {
    return this.open.get(key) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.open.values()) n += v;
    return n;
  }
}
