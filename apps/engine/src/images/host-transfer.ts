import { ErrorCode } from '@kelpie/shared-types';
import { connect, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { DomainError } from '../common/errors/domain-error';

const CONNECT_TIMEOUT_MS = 5000;

/** A connection to a host's one-shot transfer listener, the token already presented. */
export function openTransfer(address: string, port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: address, port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new DomainError(
          ErrorCode.HostUnavailable,
          `host ${address} did not answer within ${CONNECT_TIMEOUT_MS} ms`,
        ),
      );
    }, CONNECT_TIMEOUT_MS);
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(new DomainError(ErrorCode.HostUnavailable, `cannot reach host ${address}: ${e.message}`));
    });
    s.once('connect', () => {
      clearTimeout(timer);
      s.write(token);
      resolve(s);
    });
  });
}

export interface Forwarded {
  /** Bytes the host says it wrote (null: it never answered, so nothing beyond the old offset counts). */
  written: number | null;
  /** The request carried more than `limit` bytes. */
  overflow: boolean;
}

/**
 * Streams `source` (an HTTP request body) to the host with backpressure — nothing is buffered beyond
 * the sockets' own windows — never more than `limit` bytes. When the source ends or breaks off (a
 * dropped connection), half-closes and reads the host's `<bytes written>\n`.
 */
export function forward(source: Readable, host: Socket, limit: number): Promise<Forwarded> {
  return new Promise((resolve) => {
    let sent = 0;
    let overflow = false;
    let ended = false;
    let answer = '';
    const finishSending = () => {
      if (ended) return;
      ended = true;
      source.off('data', onData);
      host.end();
    };
    const onData = (chunk: Buffer) => {
      const room = limit - sent;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      sent += part.length;
      if (part.length && !host.write(part)) {
        source.pause();
        host.once('drain', () => source.resume());
      }
      if (part.length < chunk.length) {
        overflow = true;
        finishSending();
      }
    };
    source.on('data', onData);
    source.once('end', finishSending);
    source.once('close', finishSending);
    source.once('error', finishSending);
    host.on('data', (b: Buffer) => (answer += b.toString('utf8')));
    host.on('error', () => undefined);
    host.once('close', () => {
      finishSending();
      const m = /^(\d+)\n/.exec(answer);
      resolve({ written: m ? Number(m[1]) : null, overflow });
    });
  });
}
