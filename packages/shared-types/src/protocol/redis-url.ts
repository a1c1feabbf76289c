import { z } from 'zod';

/**
 * Where engines and agents find Redis, as one URL an admin writes in the configuration:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://`): one Redis server;
 * - `redis-sentinel://[user:password@]s1:26379,s2:26379,s3:26379/<master name>[?db=N]`: a Redis
 *   Sentinel group, asked for the current primary at every (re)connect, so a failover only costs a
 *   reconnect. The user and password are the data server's (the agents' ACL users); the sentinels
 *   are reached without credentials.
 * The WHATWG URL parser cannot read a host list, hence this small parser of its own.
 */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | {
      kind: 'sentinel';
      sentinels: { host: string; port: number }[];
      masterName: string;
      username?: string;
      password?: string;
      db: number;
    };

const SENTINEL_SCHEME = 'redis-sentinel:';
const DEFAULT_SENTINEL_PORT = 26379;

/** The target the URL names; throws an Error saying what is wrong. */
export function parseRedisUrl(url: string): RedisTarget {
  if (!url.startsWith(`${SENTINEL_SCHEME}//`)) {
    const u = new URL(url); // throws on nonsense
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
      throw new Error(`scheme must be redis:, rediss: or redis-sentinel: (got ${u.protocol})`);
    return { kind: 'server', url };
  }
  const rest = url.slice(SENTINEL_SCHEME.length + 2);
  const [beforeQuery, query = ''] = splitOnce(rest, '?');
  const slash = beforeQuery.indexOf('/');
  if (slash < 0) throw new Error('a redis-sentinel URL ends with /<master name>');
  const authority = beforeQuery.slice(0, slash);
  const masterName = decodeURIComponent(beforeQuery.slice(slash + 1));
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(masterName))
    throw new Error('the master name (after the hosts) must be 1-64 letters, digits, "_", "." or "-"');
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostList = at >= 0 ? authority.slice(at + 1) : authority;
  const [user, pass] = userinfo ? splitOnce(userinfo, ':') : ['', ''];
  const sentinels = hostList.split(',').map(parseHostPort);
  if (!sentinels.length) throw new Error('a redis-sentinel URL names at least one sentinel');
  const dbText = new URLSearchParams(query).get('db') ?? '0';
  const db = Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new Error(`db must be 0-15 (got ${dbText})`);
  return {
    kind: 'sentinel',
    sentinels,
    masterName,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(pass ? { password: decodeURIComponent(pass) } : {}),
    db,
  };
}

/** The same URL with this user and password in it (replacing any), as the agent's configuration needs. */
export function redisUrlWithCredentials(url: string, username?: string, password?: string): string {
  const target = parseRedisUrl(url);
  if (target.kind === 'server') {
    const u = new URL(url);
    u.username = username ? encodeURIComponent(username) : '';
    u.password = password ? encodeURIComponent(password) : '';
    return u.toString();
  }
  const userinfo = username
    ? `${encodeURIComponent(username)}${password ? `:${encodeURIComponent(password)}` : ''}@`
    : '';
  const hosts = target.sentinels.map((s) => `${formatHost(s.host)}:${s.port}`).join(',');
  const db = target.db ? `?db=${target.db}` : '';
  return `${SENTINEL_SCHEME}//${userinfo}${hosts}/${encodeURIComponent(target.masterName)}${db}`;
}

/** The URL without any user or password (what the engine hands out before adding a host's own). */
export function redisUrlWithoutCredentials(url: string): string {
  return redisUrlWithCredentials(url);
}

/** For logs: the URL with its password (and user) masked, or a placeholder when it cannot be read. */
export function redactRedisUrl(url: string): string {
  try {
    const t = parseRedisUrl(url);
    const username = t.kind === 'server' ? new URL(url).username : t.username;
    const password = t.kind === 'server' ? new URL(url).password : t.password;
    return redisUrlWithCredentials(url, username ? '***' : undefined, password ? '***' : undefined);
  } catch {
    return '<unparseable>';
  }
}

/** A zod check for configuration: a Redis URL this parser reads. */
export const RedisUrl = z.string().superRefine((value, ctx) => {
  try {
    parseRedisUrl(value);
  } catch (e) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a Redis URL: ${(e as Error).message}` });
  }
});

function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m) throw new Error(`"${text}" is not host[:port]`);
  const port = m[2] ? Number(m[2]) : DEFAULT_SENTINEL_PORT;
  if (port < 1 || port > 65535) throw new Error(`port ${port} is out of range`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

/**
 * ioredis options (plain values, so this package needs no ioredis) for a Sentinel target: the group's
 * current primary, found again at every reconnect, and told of a failover by the sentinels themselves
 * (+switch-master), not only by a failing socket (an old primary still up but cut off would otherwise
 * keep the connection).
 */
export function sentinelConnectionOptions(target: Extract<RedisTarget, { kind: 'sentinel' }>) {
  return {
    sentinels: target.sentinels,
    name: target.masterName,
    username: target.username,
    password: target.password,
    db: target.db,
    role: 'master' as const,
    failoverDetector: true,
    sentinelRetryStrategy: (times: number) => Math.min(times * 200, 2000),
    reconnectOnError: resendAfterFailover,
  };
}

/**
 * What a client of a Sentinel group does with an error reply. READONLY: the server it still talks to
 * was demoted to replica. NOREPLICAS: the primary has no replica in sync (`min-replicas-to-write`, for
 * the seconds after a failover while the other replica resyncs). Both pass within seconds, and a
 * command failed on them is lost (an agent's report that a migration ended, never confirmed), so the
 * client reconnects — asking the sentinels again — and resends it (ioredis: 2).
 */
export function resendAfterFailover(err: Error): 2 | false {
  return /^(READONLY|NOREPLICAS)\b/.test(err.message) ? 2 : false;
}

/** The addresses a client first contacts for this URL: the server, or every sentinel of the group. */
export function redisContactPoints(
  url: string,
): { kind: 'server' | 'sentinel'; host: string; port: number }[] {
  const target = parseRedisUrl(url);
  if (target.kind === 'sentinel') return target.sentinels.map((s) => ({ kind: 'sentinel', ...s }));
  const u = new URL(url);
  return [{ kind: 'server', host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) }];
}
