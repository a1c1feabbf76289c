import { pino, type Logger } from 'pino';
import type { LogLevel } from './config/config';

export type { Logger };

/** Structured JSON logs on stdout; secrets are redacted wherever they might appear. */
export function createLogger(level: LogLevel, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'kelpie-agent', pid: process.pid, ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'redisUrl',
        'password',
        '*.password',
        'payload.xml',
        'envelope.payload.xml',
        'secret',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  });
}
