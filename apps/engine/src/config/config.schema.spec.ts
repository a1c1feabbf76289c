import { ConfigError, loadConfig } from './config.schema';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.httpPort).toBe(8080);
    expect(c.redisPrefix).toBe('kelpie');
    expect(c.migrationsRun).toBe(true);
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
});
