import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { bulkSummary, runBulk, type BulkOutcome } from './bulk';

describe('bulk actions', () => {
  it('reports each VM: its task, a plain success, or the API message; one failure does not stop the rest', async () => {
    const seen: Record<string, BulkOutcome[]> = {};
    let inFlight = 0;
    let maxInFlight = 0;
    await runBulk(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
      async ({ id }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (id === 'b') throw new ApiError(409, { code: 'invalid_state', message: 'VM b is migrating_from' });
        if (id === 'c') return { body: undefined };
        return { body: { id: `task-${id}`, status: 'queued', progress: 0, type: 'vm.start' } };
      },
      (id, o) => (seen[id] ??= []).push(o),
      2,
    );
    expect(maxInFlight).toBe(2);
    expect(seen.a!.map((o) => o.state)).toEqual(['sending', 'task']);
    expect(seen.b!.at(-1)).toEqual({ state: 'failed', message: 'VM b is migrating_from' });
    expect(seen.c!.at(-1)).toEqual({ state: 'done' });
    expect(seen.d!.at(-1)).toMatchObject({ state: 'task', task: { id: 'task-d' } });
  });

  it('summarises the outcomes', () => {
    expect(
      bulkSummary([
        { state: 'done' },
        { state: 'failed', message: 'x' },
        { state: 'skipped', reason: 'down' },
        { state: 'sending' },
      ]),
    ).toBe('1 accepted, 1 refused, 1 skipped, 1 pending');
  });
});
