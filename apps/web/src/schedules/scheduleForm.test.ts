import { describe, expect, it } from 'vitest';
import { defaultWhen, localInputValue, scheduleTiming, whenText } from './scheduleForm';

const now = new Date(2027, 0, 10, 9, 30).getTime();

describe('scheduleTiming', () => {
  it('sends a local time as an absolute instant (UTC with Z), never a zone-less string', () => {
    const local = localInputValue(now + 2 * 3_600_000);
    const r = scheduleTiming({ ...defaultWhen(now), runAt: local }, now);
    expect(r.errors).toBeUndefined();
    const { runAt } = (r as { timing: { runAt: string } }).timing;
    expect(runAt.endsWith('Z')).toBe(true);
    expect(new Date(runAt).getTime()).toBe(now + 2 * 3_600_000);
  });

  it('refuses a past or missing time at the runAt field', () => {
    expect(scheduleTiming({ ...defaultWhen(now), runAt: localInputValue(now - 60_000) }, now)).toEqual({
      errors: { runAt: 'Choose a time in the future.' },
    });
    expect(scheduleTiming({ ...defaultWhen(now), runAt: '' }, now).errors).toEqual({
      runAt: 'Choose a date and time.',
    });
  });

  it('takes a 5- or 6-field cron with its zone, and names the field when it is not one', () => {
    const when = { ...defaultWhen(now), mode: 'cron' as const, timezone: 'Europe/Berlin' };
    expect(scheduleTiming({ ...when, cron: ' 0  2 * * 6 ' }, now)).toEqual({
      timing: { cron: '0 2 * * 6', timezone: 'Europe/Berlin' },
    });
    expect(scheduleTiming({ ...when, cron: '0 2 * *' }, now).errors).toHaveProperty('cron');
    expect(scheduleTiming({ ...when, cron: '0 2 * * *', timezone: ' ' }, now).errors).toHaveProperty(
      'timezone',
    );
  });

  it('defaults to once, an hour ahead on the minute', () => {
    const w = defaultWhen(now);
    expect(w.mode).toBe('once');
    expect(new Date(w.runAt).getTime()).toBe(now + 3_600_000);
  });
});

it('whenText says once or the cron with its zone', () => {
  const fmt = (iso: string) => `T(${iso})`;
  expect(whenText({ runAt: '2027-01-01T00:00:00.000Z', cron: null, timezone: 'UTC' }, fmt)).toBe(
    'once, T(2027-01-01T00:00:00.000Z)',
  );
  expect(whenText({ runAt: null, cron: '0 2 * * *', timezone: 'UTC' }, fmt)).toBe('0 2 * * * (UTC)');
});
