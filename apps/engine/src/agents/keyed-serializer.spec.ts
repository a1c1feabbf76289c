import { KeyedSerializer } from './keyed-serializer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerializer', () => {
  it('keeps the order of one key and overlaps different keys', async () => {
    const s = new KeyedSerializer();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([s.run('h1', job('a1', 30)), s.run('h1', job('a2', 1)), s.run('h2', job('b1', 5))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(s.pendingKeys).toBe(0);
  });

  it('goes on after a failure and reports it to its caller', async () => {
    const s = new KeyedSerializer();
    await expect(s.run('h', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(s.run('h', async () => 42)).resolves.toBe(42);
  });
});
