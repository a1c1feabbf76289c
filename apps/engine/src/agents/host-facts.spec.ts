import { HostStatus, ObjectType, StreamMessage } from '@kelpie/shared-types';
import { Subject } from 'rxjs';
import type { HostRepository } from '../hosts/host.repository';
import type { StreamService } from '../stream/stream.service';
import { HostFactsCache } from './host-facts';

const ID = '6f1c2b7e-0c1a-4d5e-9f00-000000000001';
const OTHER = '6f1c2b7e-0c1a-4d5e-9f00-000000000002';

describe('HostFactsCache', () => {
  const messages = new Subject<StreamMessage>();
  let status: HostStatus;
  const query = jest.fn(async () => ({
    id: ID,
    name: 'h1',
    clusterId: 'c',
    datacenterId: 'd',
    status,
    statusReason: null,
  }));
  let cache: HostFactsCache;

  beforeEach(() => {
    status = HostStatus.Up;
    query.mockClear();
    cache = new HostFactsCache(
      { factsOf: query } as unknown as HostRepository,
      {
        messages: messages.asObservable(),
      } as unknown as StreamService,
    );
  });
  afterEach(() => cache.onModuleDestroy());

  const hostMessage = (id: string): StreamMessage => ({
    type: 'host.status',
    time: new Date().toISOString(),
    object: { type: ObjectType.Host, id },
    from: HostStatus.Up,
    to: HostStatus.Error,
    reason: null,
    refs: [],
  });

  it('reads a host once, then answers from memory', async () => {
    await cache.get(ID);
    expect((await cache.get(ID))?.status).toBe(HostStatus.Up);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('reads again after a stream message about that host, not about another', async () => {
    await cache.get(ID);
    messages.next(hostMessage(OTHER));
    await cache.get(ID);
    expect(query).toHaveBeenCalledTimes(1);
    status = HostStatus.Error;
    messages.next(hostMessage(ID));
    expect((await cache.get(ID))?.status).toBe(HostStatus.Error);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('reads again after forget(), and never queries for an id that is not a UUID', async () => {
    await cache.get(ID);
    cache.forget(ID);
    await cache.get(ID);
    expect(await cache.get('host-1')).toBeUndefined();
    expect(query).toHaveBeenCalledTimes(2);
  });
});
