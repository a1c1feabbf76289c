import { join, resolve } from 'node:path';

/** Where the one-machine platform lives. Separate from any test run (own database, prefix, lab name). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const STATE_DIR = process.env.KELPIE_DEVSTACK_DIR ?? '/var/lib/kelpie-devstack';
export const LOG_DIR = join(STATE_DIR, 'logs');
export const ENGINE_PID_FILE = join(STATE_DIR, 'engine.pid');

/** Overridable so a second platform (e.g. a developer's check of these scripts) never touches the first. */
export const LAB_NAME = process.env.KELPIE_DEVSTACK_LAB ?? 'kl';
export const LAB_SUBNET = process.env.KELPIE_DEVSTACK_SUBNET
  ? Number(process.env.KELPIE_DEVSTACK_SUBNET)
  : undefined;
export const LAB_HOSTS = 2;
export const ENGINE_PORT = Number(process.env.KELPIE_HTTP_PORT ?? 8080);
export const ENGINE_URL = `http://127.0.0.1:${ENGINE_PORT}`;
export const DATABASE_NAME = process.env.KELPIE_DEVSTACK_DATABASE ?? 'kelpie';
export const ADMIN_DATABASE_URL =
  process.env.KELPIE_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_PREFIX = process.env.KELPIE_DEVSTACK_REDIS_PREFIX ?? 'kelpie';

export const ENGINE_ENTRY = join(REPO_ROOT, 'apps', 'engine', 'dist', 'main.js');
export const WEB_DIST = join(REPO_ROOT, 'apps', 'web', 'dist');

export function databaseUrl(): string {
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${DATABASE_NAME}`;
  return u.toString();
}
