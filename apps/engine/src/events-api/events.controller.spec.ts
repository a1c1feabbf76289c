import type { StreamMessage } from '@kelpie/shared-types';
import { matches } from './events.controller';

const msg = {
  type: 'object.created',
  time: '2024-01-01T00:00:00Z',
  object: { type: 'vm', id: 'v1' },
  data: {},
  refs: [
    { type: 'vm', id: 'v1' },
    { type: 'cluster', id: 'c1' },
  ],
} as StreamMessage;

describe('stream filter', () => {
  it('passes everything without filters', () => expect(matches(msg, {})).toBe(true));
  it('matches any concerned object by type or id', () => {
    expect(matches(msg, { objectType: 'cluster' })).toBe(true);
    expect(matches(msg, { objectId: 'c1' })).toBe(true);
    expect(matches(msg, { objectType: 'host' })).toBe(false);
    expect(matches(msg, { objectId: 'other' })).toBe(false);
  });
  it('filters by message type', () => {
    expect(matches(msg, { types: ['object.created', 'task.finished'] })).toBe(true);
    expect(matches(msg, { types: ['task.finished'] })).toBe(false);
  });
});
