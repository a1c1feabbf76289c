import {
  parseRedisUrl,
  redactRedisUrl,
  RedisUrl,
  redisUrlWithCredentials,
  redisContactPoints,
  redisUrlWithoutCredentials,
  sentinelConnectionOptions,
} from './redis-url';

describe('parseRedisUrl', () => {
  it('reads one server', () => {
    expect(parseRedisUrl('redis://10.0.0.1:6379/2')).toEqual({
      kind: 'server',
      url: 'redis://10.0.0.1:6379/2',
    });
    expect(parseRedisUrl('rediss://r.example.org:6380').kind).toBe('server');
  });

  it('reads a sentinel group with credentials, default ports and a db', () => {
    expect(
      parseRedisUrl('redis-sentinel://kelpie%3Aagent%3Ah1:p%40ss@s1:26380,s2,[fd00::3]:26381/kelpie?db=3'),
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: 'fd00::3', port: 26381 },
      ],
      masterName: 'kelpie',
      username: 'kelpie:agent:h1',
      password: 'p@ss',
      db: 3,
    });
  });

  it.each([
    ['http://x:1', /scheme/],
    ['redis-sentinel://s1:26379', /master name/],
    ['redis-sentinel://s1:26379/bad name', /master name/],
    ['redis-sentinel://s1:99999/kelpie', /out of range/],
    ['redis-sentinel://s1,,s2/kelpie', /host\[:port\]/],
    ['redis-sentinel://s1/kelpie?db=99', /db must be/],
    ['nonsense', /Invalid URL/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});

describe('credentials in the URL', () => {
  it('puts a host user into a sentinel URL and reads it back', () => {
    const url = redisUrlWithCredentials(
      'redis-sentinel://s1:26379,s2:26379/kelpie',
      'kelpie:agent:h1',
      'p/w',
    );
    expect(url).toBe('redis-sentinel://kelpie%3Aagent%3Ah1:p%2Fw@s1:26379,s2:26379/kelpie');
    expect(parseRedisUrl(url)).toMatchObject({ username: 'kelpie:agent:h1', password: 'p/w' });
  });

  it('replaces or strips the user of a server URL', () => {
    expect(redisUrlWithCredentials('redis://old:x@r:6379', 'u', 'p')).toBe('redis://u:p@r:6379');
    expect(redisUrlWithoutCredentials('redis://old:x@r:6379')).toBe('redis://r:6379');
    expect(redisUrlWithoutCredentials('redis-sentinel://u:p@s1:1/m?db=2')).toBe(
      'redis-sentinel://s1:1/m?db=2',
    );
  });

  it('masks secrets for logs', () => {
    expect(redactRedisUrl('redis-sentinel://u:secret@s1:1/m')).toBe('redis-sentinel://***:***@s1:1/m');
    expect(redactRedisUrl('redis://u:secret@r:6379')).toBe('redis://***:***@r:6379');
    expect(redactRedisUrl('::')).toBe('<unparseable>');
  });
});

describe('RedisUrl (configuration check)', () => {
  it('accepts both forms and names the problem otherwise', () => {
    expect(RedisUrl.safeParse('redis-sentinel://a,b,c/kelpie').success).toBe(true);
    const bad = RedisUrl.safeParse('redis-sentinel://a,b,c');
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0].message).toMatch(/not a Redis URL: .*master name/);
  });
});

describe('sentinelConnectionOptions', () => {
  it('asks for the primary of the named group, with the data user, following failovers', () => {
    const target = parseRedisUrl('redis-sentinel://u:p@s1,s2:26380/kelpie?db=1');
    if (target.kind !== 'sentinel') throw new Error('expected a sentinel target');
    const o = sentinelConnectionOptions(target);
    expect(o.sentinels).toBe(target.sentinels);
    expect(o).toMatchObject({
      name: 'kelpie',
      username: 'u',
      password: 'p',
      db: 1,
      role: 'master',
      failoverDetector: true,
    });
    expect([1, 5, 50].map(o.sentinelRetryStrategy)).toEqual([200, 1000, 2000]);
  });

  it('resends a command refused by a demoted primary or one without a replica in sync, nothing else', () => {
    const target = parseRedisUrl('redis-sentinel://s1/kelpie');
    if (target.kind !== 'sentinel') throw new Error('expected a sentinel target');
    const { reconnectOnError } = sentinelConnectionOptions(target);
    expect(reconnectOnError(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnError(new Error('NOREPLICAS Not enough good replicas to write.'))).toBe(2);
    expect(reconnectOnError(new Error('NOPERM this user has no permissions'))).toBe(false);
    expect(reconnectOnError(new Error('WRONGTYPE Operation against a key'))).toBe(false);
  });
});

describe('redisContactPoints', () => {
  it('lists the server, or every sentinel', () => {
    expect(redisContactPoints('redis://u:p@10.0.0.1')).toEqual([
      { kind: 'server', host: '10.0.0.1', port: 6379 },
    ]);
    expect(redisContactPoints('redis-sentinel://a:1,b/kelpie')).toEqual([
      { kind: 'sentinel', host: 'a', port: 1 },
      { kind: 'sentinel', host: 'b', port: 26379 },
    ]);
  });
});
