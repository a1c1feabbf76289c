import { ConfigError, loadConfig, redactUrl } from './config';

describe('agent config', () => {
  it('applies defaults', () => {
    expect(loadConfig({ KELPIE_HOST_ID: 'h1' })).toEqual({
      hostId: 'h1',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'kelpie',
      libvirtUri: 'qemu:///system',
      virshBinary: 'virsh',
      virshTimeoutMs: 30000,
      heartbeatIntervalMs: 2000,
      statsIntervalMs: 10000,
      reconcileIntervalMs: 10000,
      reconnectMaxMs: 5000,
      commandConcurrency: 8,
      virtualization: 'probe',
      stateDir: '/var/lib/kelpie-agent',
      commandLockMs: 30000,
      logLevel: 'info',
    });
  });

  it('requires a valid host id and reports every bad field', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({ KELPIE_HOST_ID: 'a/b' })).toThrow(/KELPIE_HOST_ID/);
    expect(() => loadConfig({ KELPIE_HOST_ID: 'a', KELPIE_HEARTBEAT_INTERVAL_MS: 'soon' })).toThrow(
      /KELPIE_HEARTBEAT_INTERVAL_MS/,
    );
  });

  it('never shows passwords', () => {
    expect(redactUrl('redis://user:s3cret@h:6379/0')).not.toContain('s3cret');
  });
});
