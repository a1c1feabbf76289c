import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig } from './config.schema';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.httpPort).toBe(8080);
    expect(c.redisPrefix).toBe('kelpie');
    expect(c.migrationsRun).toBe(true);
    expect(c.databasePoolSize).toBe(24);
  });

  it('sizes the database pool from KELPIE_DATABASE_POOL_SIZE and refuses a pool of one', () => {
    expect(loadConfig({ KELPIE_DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
    expect(() => loadConfig({ KELPIE_DATABASE_POOL_SIZE: '1' })).toThrow(/KELPIE_DATABASE_POOL_SIZE/);
  });

  it('rejects a bad port and a bad prefix, naming both', () => {
    expect(() => loadConfig({ KELPIE_HTTP_PORT: '70000', KELPIE_REDIS_PREFIX: 'a b' })).toThrow(ConfigError);
    try {
      loadConfig({ KELPIE_HTTP_PORT: '70000', KELPIE_REDIS_PREFIX: 'a b' });
    } catch (e) {
      expect((e as Error).message).toContain('KELPIE_HTTP_PORT');
      expect((e as Error).message).toContain('KELPIE_REDIS_PREFIX');
    }
  });

  it('refuses a fencing grace shorter than the heartbeat timeout, and a share above 100 %', () => {
    expect(loadConfig({}).fencing).toMatchObject({ startupGraceMs: 300_000, maxUnreachablePercent: 50 });
    expect(() =>
      loadConfig({ KELPIE_HEARTBEAT_TIMEOUT_MS: '20000', KELPIE_FENCE_STARTUP_GRACE_MS: '10000' }),
    ).toThrow(/KELPIE_FENCE_STARTUP_GRACE_MS: must be at least KELPIE_HEARTBEAT_TIMEOUT_MS/);
    // Unset, the grace follows a heartbeat timeout longer than its 5-minute default.
    expect(loadConfig({ KELPIE_HEARTBEAT_TIMEOUT_MS: '600000' }).fencing.startupGraceMs).toBe(600_000);
    expect(() => loadConfig({ KELPIE_FENCE_MAX_UNREACHABLE_PERCENT: '101' })).toThrow(
      /KELPIE_FENCE_MAX_UNREACHABLE_PERCENT/,
    );
  });

  it('puts the password from a secret file into the database URL', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kelpie-cfg-')), 'pw');
    writeFileSync(file, 's3cret\n');
    const c = loadConfig({
      KELPIE_DATABASE_URL: 'postgres://kelpie@db:5432/kelpie',
      KELPIE_DATABASE_PASSWORD_FILE: file,
    });
    expect(new URL(c.databaseUrl).password).toBe('s3cret');
  });

  it("configures the agents' metrics endpoint only with a port and a token file together", () => {
    expect(loadConfig({}).agentMetrics).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-cfg-'));
    const file = join(dir, 'agent-token');
    writeFileSync(file, 'abcdefghijklmnop0123\n');
    expect(
      loadConfig({ KELPIE_AGENT_METRICS_PORT: '9464', KELPIE_AGENT_METRICS_TOKEN_FILE: file }).agentMetrics,
    ).toEqual({ port: 9464, token: 'abcdefghijklmnop0123' });
    expect(() => loadConfig({ KELPIE_AGENT_METRICS_PORT: '9464' })).toThrow(
      /needs KELPIE_AGENT_METRICS_TOKEN_FILE/,
    );
    expect(() => loadConfig({ KELPIE_AGENT_METRICS_TOKEN_FILE: file })).toThrow(
      /set KELPIE_AGENT_METRICS_PORT/,
    );
    writeFileSync(file, 'short');
    expect(() =>
      loadConfig({ KELPIE_AGENT_METRICS_PORT: '9464', KELPIE_AGENT_METRICS_TOKEN_FILE: file }),
    ).toThrow(/KELPIE_AGENT_METRICS_TOKEN_FILE: 16-256/);
  });

  it('fails clearly when the secret file is missing', () => {
    expect(() => loadConfig({ KELPIE_DATABASE_PASSWORD_FILE: '/nonexistent/pw' })).toThrow(
      /KELPIE_DATABASE_PASSWORD_FILE/,
    );
  });

  it("refuses an admin password file left empty or too short (production's first admin must be set)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-cfg-'));
    const file = join(dir, 'admin_password');
    for (const content of ['', '\n', 'change-me\n']) {
      writeFileSync(file, content);
      expect(() => loadConfig({ KELPIE_ADMIN_PASSWORD_FILE: file })).toThrow(
        /KELPIE_ADMIN_PASSWORD_FILE: at least 12 characters/,
      );
    }
    writeFileSync(file, 'a-long-enough-password\n');
    expect(loadConfig({ KELPIE_ADMIN_PASSWORD_FILE: file }).auth.adminPassword).toBe(
      'a-long-enough-password',
    );
    expect(() => loadConfig({ KELPIE_ADMIN_PASSWORD: 'short' })).toThrow(/KELPIE_ADMIN_PASSWORD/);
  });

  it('docker-compose takes the first admin from a secret file that is not in the repository', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
    const env = compose.services.engine.environment;
    expect(env.KELPIE_ADMIN_PASSWORD).toBeUndefined();
    expect(env.KELPIE_ADMIN_PASSWORD_FILE).toBe('/run/secrets/admin_password');
    expect(compose.services.engine.secrets).toContain('admin_password');
    const secretFile = compose.secrets.admin_password.file as string;
    // No committed default (nor an example to copy): the operator writes it before the first start.
    const tracked = execFileSync('git', ['ls-files', dirname(secretFile)], { cwd: root, encoding: 'utf8' });
    expect(tracked.split('\n').filter((f) => f.includes('admin_password'))).toEqual([]);
  });

  it('bounds: generous defaults, overridable, refused when out of range', () => {
    const c = loadConfig({});
    expect(c.retention).toEqual({
      eventsDays: 90,
      tasksDays: 30,
      migrationsDays: 30,
      scheduleRunsDays: 90,
      intervalMs: 3_600_000,
      batch: 1000,
    });
    expect(c.rateLimit).toEqual({ requests: 5000, windowMs: 10_000 });
    expect(c.gc).toEqual({ intervalMs: 900_000, graceMs: 3_600_000 });
    expect([c.streamMaxPerClient, c.streamMaxBacklogBytes]).toEqual([20, 4 << 20]);
    expect(loadConfig({ KELPIE_RATE_LIMIT_REQUESTS: '0', KELPIE_GC_INTERVAL_MS: '0' })).toMatchObject({
      rateLimit: { requests: 0 },
      gc: { intervalMs: 0 },
    });
    expect(() => loadConfig({ KELPIE_RETENTION_BATCH: '0' })).toThrow(/KELPIE_RETENTION_BATCH/);
    expect(() => loadConfig({ KELPIE_STREAM_MAX_PER_CLIENT: '0' })).toThrow(/KELPIE_STREAM_MAX_PER_CLIENT/);
    expect(() => loadConfig({ KELPIE_RETENTION_EVENTS_DAYS: '-1' })).toThrow(/KELPIE_RETENTION_EVENTS_DAYS/);
  });
});
