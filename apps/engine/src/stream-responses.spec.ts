import { ObjectType } from '@kelpie/shared-types';
import type Redis from 'ioredis';
import type { EngineConfig } from './config/config.schema';
import { STREAM_RESPONSES, StreamResponses } from './stream-responses';
import { StreamService } from './stream/stream.service';

/** A stored row with what every response reads, plus columns no response has. */
const stored = () => ({
  id: '6de778cd-c9ea-461b-8d51-d36ff64f6303',
  name: 'one',
  description: '',
  createdAt: new Date('2026-12-01T10:00:00Z'),
  updatedAt: new Date('2026-12-01T11:00:00Z'),
  // Internal columns: the spec a NIC's definition was made from, and anything added later.
  definedSpec: { mac: '52:54:00:00:00:01', bridge: 'br0' },
  internalOnly: 'not for clients',
});

function stream(): StreamService {
  // lazyConnect: the subscriber never connects in this test.
  const s = new StreamService(
    {} as Redis,
    {
      redisPrefix: 't',
      redisUrl: 'redis://127.0.0.1:1',
    } as EngineConfig,
  );
  new StreamResponses(s);
  return s;
}

describe('live stream data is the REST response of each object type', () => {
  const s = stream();

  it.each(STREAM_RESPONSES.map(([type, map]) => [type, map] as const))(
    '%s objects go out as their mapX() answer, without internal columns',
    (type, map) => {
      const row = stored();
      const data = s.dataOf(type, row);
      expect(data).toEqual(JSON.parse(JSON.stringify((map as (e: object) => object)(row))));
      expect(data).toMatchObject({ id: row.id, createdAt: '2026-12-01T10:00:00.000Z' });
      expect(data).not.toHaveProperty('internalOnly');
      expect(data).not.toHaveProperty('definedSpec');
    },
  );

  it('covers every object type that is announced as created or updated', () => {
    const announced = Object.values(ObjectType).filter((t) => t !== ObjectType.Task);
    expect(STREAM_RESPONSES.map(([t]) => t).sort()).toEqual([...announced].sort());
  });
});
