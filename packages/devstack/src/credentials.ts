import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STATE_DIR } from './settings';

/** The dev stack's first admin: its password (KELPIE_ADMIN_PASSWORD, else generated once) and an API
 * token for these scripts, kept in a file only root reads so every `up` uses the same ones. */
export interface DevCredentials {
  username: string;
  password: string;
  token: string;
}

export const CREDENTIALS_FILE = join(STATE_DIR, 'admin-credentials.json');

let cached: DevCredentials | undefined;

export function devCredentials(): DevCredentials {
  if (cached) return cached;
  if (existsSync(CREDENTIALS_FILE)) {
    cached = JSON.parse(readFileSync(CREDENTIALS_FILE, 'utf8')) as DevCredentials;
    return cached;
  }
  cached = {
    username: process.env.KELPIE_ADMIN_USER ?? 'admin',
    password: process.env.KELPIE_ADMIN_PASSWORD ?? randomBytes(15).toString('base64url'),
    token: `kelpie_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`,
  };
  mkdirSync(dirname(CREDENTIALS_FILE), { recursive: true });
  writeFileSync(CREDENTIALS_FILE, JSON.stringify(cached, null, 2), { mode: 0o600 });
  return cached;
}

export function authHeader(): Record<string, string> {
  return { authorization: `Bearer ${devCredentials().token}` };
}
