import { EventSeverity } from '@kelpie/shared-types';
import { EventEntity } from './event.entity';
import { eventIdFor, EventsService } from './events.service';

/** An event table that, like Postgres, refuses a second row with the same primary key; inserts made
 * with `orIgnore` skip it (ON CONFLICT DO NOTHING) and return no row. */
function fakeTable() {
  const rows = new Map<string, EventEntity>();
  const manager = {
    insert: jest.fn(async (_: unknown, e: EventEntity) => {
      if (rows.has(e.id)) throw new Error('duplicate key value violates unique constraint "pk_event"');
      rows.set(e.id, e);
    }),
    findOneByOrFail: jest.fn(async (_: unknown, { id }: { id: string }) => rows.get(id)!),
    createQueryBuilder: () => {
      let value: EventEntity;
      let ignore = false;
      const qb = {
        insert: () => qb,
        into: () => qb,
        values: (v: EventEntity) => ((value = v), qb),
        orIgnore: () => ((ignore = true), qb),
        returning: () => qb,
        execute: async () => {
          if (rows.has(value.id)) {
            if (!ignore) throw new Error('duplicate key');
            return { raw: [] };
          }
          rows.set(value.id, value);
          return { raw: [{ id: value.id }] };
        },
      };
      return qb;
    },
  };
  const repo = { manager, create: (e: EventEntity) => e };
  const publish = jest.fn(async () => undefined);
  return { rows, svc: new EventsService(repo as never, { publish } as never), publish };
}

describe('recording an event once', () => {
  const restarted = (message: string) => ({
    severity: EventSeverity.Info,
    type: 'vm.ha_restarted',
    message,
    refs: [{ type: 'vm' as never, id: 'vm-1' }],
    once: 'vm.ha_restarted:task-9',
  });

  it('keeps the first record of an occurrence recorded twice (an adopting engine redoing the step) and publishes it once', async () => {
    const t = fakeTable();
    const first = await t.svc.record(restarted('by the engine that died'));
    const again = await t.svc.record(restarted('by the engine that adopted the task'));
    expect(t.rows.size).toBe(1);
    expect(again).toEqual(first);
    expect(again.message).toBe('by the engine that died');
    expect(t.publish).toHaveBeenCalledTimes(1);
  });

  it('records distinct occurrences and events without a key as separate rows', async () => {
    const t = fakeTable();
    await t.svc.record(restarted('one'));
    await t.svc.record({ ...restarted('other start'), once: 'vm.ha_restarted:task-10' });
    await t.svc.record({ type: 'vm.started', message: 'a' });
    await t.svc.record({ type: 'vm.started', message: 'a' });
    expect(t.rows.size).toBe(4);
    expect(t.publish).toHaveBeenCalledTimes(4);
  });

  it('derives a stable, valid UUID from the key', () => {
    expect(eventIdFor('k')).toBe(eventIdFor('k'));
    expect(eventIdFor('k')).not.toBe(eventIdFor('k2'));
    expect(eventIdFor('k')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
