import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('agent config', () => {
  it('applies defaults', () => {
    expect(loadConfig({ KELPIE_HOST_ID: 'h1' })).toEqual({
      hostId: 'h1',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'kelpie',
      pkiDir: '/etc/pki',
      libvirtUri: 'qemu:///system',
      virshBinary: 'virsh',
      virshTimeoutMs: 30000,
      heartbeatIntervalMs: 2000,
      statsIntervalMs: 10000,
      storageCheckIntervalMs: 10000,
      reconcileIntervalMs: 10000,
      networkRefreshMs: 60000,
      ovsDatapath: 'system',
      reconnectMaxMs: 5000,
      commandConcurrency: 8,
      virtualization: 'probe',
      stateDir: '/var/lib/kelpie-agent',
      commandLockMs: 30000,
      devCommands: false,
      logLevel: 'info',
      metrics: { host: '127.0.0.1', port: 9464 },
    });
  });

  it('reads the metrics address (IPv6 too), its token, or off', () => {
    const base = { KELPIE_HOST_ID: 'h1' };
    expect(loadConfig({ ...base, KELPIE_METRICS_LISTEN: 'off' }).metrics).toBeNull();
    expect(loadConfig({ ...base, KELPIE_METRICS_LISTEN: '[fd00::1]:9100' }).metrics).toEqual({
      host: 'fd00::1',
      port: 9100,
    });
    expect(
      loadConfig({ ...base, KELPIE_METRICS_LISTEN: '10.0.0.5:9464', KELPIE_METRICS_TOKEN: 'x'.repeat(20) })
        .metrics,
    ).toEqual({ host: '10.0.0.5', port: 9464, token: 'x'.repeat(20) });
    expect(() => loadConfig({ ...base, KELPIE_METRICS_LISTEN: '0.0.0.0' })).toThrow(/KELPIE_METRICS_LISTEN/);
    expect(() => loadConfig({ ...base, KELPIE_METRICS_TOKEN: 'short' })).toThrow(/KELPIE_METRICS_TOKEN/);
  });

  it('requires a valid host id and reports every bad field', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({ KELPIE_HOST_ID: 'a/b' })).toThrow(/KELPIE_HOST_ID/);
    expect(() => loadConfig({ KELPIE_HOST_ID: 'a', KELPIE_HEARTBEAT_INTERVAL_MS: 'soon' })).toThrow(
      /KELPIE_HEARTBEAT_INTERVAL_MS/,
    );
  });

  it('takes a Sentinel group and refuses what is no Redis URL, naming the setting', () => {
    const url = 'redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/kelpie';
    expect(loadConfig({ KELPIE_HOST_ID: 'h1', KELPIE_REDIS_URL: url }).redisUrl).toBe(url);
    expect(() => loadConfig({ KELPIE_HOST_ID: 'h1', KELPIE_REDIS_URL: 'redis-sentinel://a,b' })).toThrow(
      /KELPIE_REDIS_URL.*master name/,
    );
  });
});

describe('agent credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-agent-cred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A credentials file as enrollment writes it (empty TLS material: a hand-made one). */
  function credentialsFile(name: string, hostId: string, redisUrl: string): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        hostId,
        redis: { url: redisUrl, username: 'host-h', password: 'p@ss' },
        commandKey: { publicKeyPem: 'PEM' },
        tls: { caCertPem: '', certPem: '', keyPem: '' },
      }),
    );
    return file;
  }

  it('takes the host id and Redis access from the file, over the env vars', () => {
    const file = credentialsFile('credentials.json', 'h-from-file', 'redis://10.0.0.1:6379');
    const c = loadConfig({ KELPIE_HOST_ID: 'ignored', KELPIE_CREDENTIALS_FILE: file });
    expect(c.hostId).toBe('h-from-file');
    expect(c.redisUrl).toBe('redis://host-h:p%40ss@10.0.0.1:6379');
    expect(c.commandPublicKeyPem).toBe('PEM');
    // Empty TLS material (a hand-made file): nothing to install.
    expect(c.tls).toBeUndefined();
  });

  it('puts the host user into a Sentinel URL too', () => {
    const file = credentialsFile('sentinel.json', 'h', 'redis-sentinel://s1:26379,s2:26379/kelpie');
    expect(loadConfig({ KELPIE_CREDENTIALS_FILE: file }).redisUrl).toBe(
      'redis-sentinel://host-h:p%40ss@s1:26379,s2:26379/kelpie',
    );
  });

  it('refuses a missing or malformed file, naming the setting', () => {
    expect(() => loadConfig({ KELPIE_CREDENTIALS_FILE: join(dir, 'nope.json') })).toThrow(
      /KELPIE_CREDENTIALS_FILE/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ hostId: 'x' }));
    expect(() => loadConfig({ KELPIE_CREDENTIALS_FILE: bad })).toThrow(/KELPIE_CREDENTIALS_FILE: redis/);
  });
});
