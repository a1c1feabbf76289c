import type { StreamMessage } from '@kelpie/shared-types';
import { Subject } from 'rxjs';
import { waitUntil } from './wait-until';

const msg = (id: string) => ({ type: 'vm.status', object: { type: 'vm', id } }) as unknown as StreamMessage;

describe('waitUntil (stream-woken polling)', () => {
  it('re-probes as soon as a matching message arrives, not at the next recheck', async () => {
    const messages = new Subject<StreamMessage>();
    let ready = false;
    let probes = 0;
    const started = Date.now();
    const done = waitUntil(
      messages,
      (m) => 'object' in m && m.object.id === 'a',
      async () => (probes++, ready ? 'yes' : undefined),
      { timeoutMs: 10_000, recheckMs: 5_000 },
    );
    await new Promise((r) => setTimeout(r, 20));
    messages.next(msg('b')); // not selected: no probe
    ready = true;
    messages.next(msg('a'));
    await expect(done).resolves.toBe('yes');
    expect(probes).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(messages.observed).toBe(false);
  });

  it('rechecks without messages, reports the wait, and gives undefined after the timeout', async () => {
    // Fake clock: a loaded machine must not change how many rechecks fit in the timeout.
    jest.useFakeTimers();
    try {
      const messages = new Subject<StreamMessage>();
      const waits: number[] = [];
      let probes = 0;
      const done = waitUntil(
        messages,
        () => true,
        async () => void probes++,
        {
          timeoutMs: 120,
          recheckMs: 30,
          onWait: (ms) => waits.push(ms),
        },
      );
      await jest.advanceTimersByTimeAsync(200);
      expect(await done).toBeUndefined();
      // At 0, 30, 60, 90 and 120 ms; the last finds the deadline passed.
      expect(probes).toBe(5);
      expect(waits).toEqual([0, 30, 60, 90]);
      expect(messages.observed).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
