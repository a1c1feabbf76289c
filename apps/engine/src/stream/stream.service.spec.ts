import type { StreamMessage } from '@kelpie/shared-types';
import type Redis from 'ioredis';
import type { EngineConfig } from '../config/config.schema';
import { StreamService } from './stream.service';

const config = { redisPrefix: 'k', redisUrl: 'redis://127.0.0.1:1' } as EngineConfig;

function service(publish: jest.Mock) {
  const svc = new StreamService({ publish } as unknown as Redis, config);
  const subscriber = (svc as unknown as { subscriber: Redis }).subscriber;
  jest.spyOn(subscriber, 'subscribe').mockResolvedValue(1 as never);
  const seen: StreamMessage[] = [];
  svc.messages.subscribe((m) => seen.push(m));
  return { svc, subscriber, seen };
}

describe('StreamService: lost messages are announced, never silent', () => {
  afterEach(() => jest.useRealTimers());

  it('messages it could not publish are announced with one stream.resync once Redis takes it', async () => {
    jest.useFakeTimers();
    const publish = jest
      .fn()
      .mockRejectedValueOnce(new Error('Connection is closed.'))
      .mockRejectedValueOnce(new Error('Connection is closed.'))
      .mockRejectedValueOnce(new Error('Connection is closed.')) // the first announcement: still down
      .mockResolvedValue(1);
    const { svc } = service(publish);
    await svc.publish({ type: 'object.deleted', object: { type: 'vm', id: 'v1' }, refs: [] } as never);
    await svc.publish({ type: 'object.deleted', object: { type: 'vm', id: 'v2' }, refs: [] } as never);
    await jest.advanceTimersByTimeAsync(1000);
    await jest.advanceTimersByTimeAsync(1000);
    expect(publish).toHaveBeenCalledTimes(4);
    const announced = JSON.parse(publish.mock.calls[3][1] as string) as StreamMessage;
    expect(announced).toMatchObject({ type: 'stream.resync', refs: [] });
    expect((announced as { reason: string }).reason).toMatch(/could not publish 2 live-stream message/);
    // Announced once: nothing more is sent while publishing works.
    await jest.advanceTimersByTimeAsync(5000);
    expect(publish).toHaveBeenCalledTimes(4);
    svc.onApplicationShutdown();
  });

  it('a subscription back after a cut tells this engine’s clients to resync (not at the first connect)', async () => {
    const { svc, subscriber, seen } = service(jest.fn().mockResolvedValue(1));
    subscriber.emit('ready');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
    subscriber.emit('ready');
    await new Promise((r) => setImmediate(r));
    expect(subscriber.subscribe).toHaveBeenCalledWith('k:stream');
    expect(seen).toEqual([expect.objectContaining({ type: 'stream.resync' })]);
    expect((seen[0] as { reason: string }).reason).toMatch(/cut from Redis and is back/);
    svc.onApplicationShutdown();
  });
});
