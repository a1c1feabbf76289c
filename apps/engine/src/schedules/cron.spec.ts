import { cronProblem, isTimeZone, nextRun, upcomingRuns } from './cron';
import { snapshotName } from './schedule-actions';

describe('schedule cron expressions', () => {
  it('accepts 5 fields (minute first) and 6 (second first) at or above the minimum interval', () => {
    expect(cronProblem('0 2 * * 6', 'UTC', 60)).toBeNull();
    expect(cronProblem('*/10 * * * * *', 'UTC', 10)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(cronProblem('every day', 'UTC', 60)).toBe('has 2 fields; 5 (minute first) or 6 (second first)');
    expect(cronProblem('61 * * * *', 'UTC', 60)).toMatch(/^is not a cron expression: /);
    expect(cronProblem('*/10 * * * * *', 'UTC', 60)).toBe('runs 10 s apart; the minimum interval is 60 s');
    // The gap is the shortest anywhere, not only the first one: 00:00 and 00:01 every hour.
    expect(cronProblem('0,1 * * * *', 'UTC', 120)).toBe('runs 60 s apart; the minimum interval is 120 s');
  });

  it('computes due times in the schedule’s time zone', () => {
    const from = new Date('2027-01-01T00:00:00Z');
    expect(nextRun('0 2 * * *', 'Europe/Berlin', from)?.toISOString()).toBe('2027-01-01T01:00:00.000Z');
    expect(nextRun('0 2 * * *', 'UTC', from)?.toISOString()).toBe('2027-01-01T02:00:00.000Z');
    expect(upcomingRuns('*/10 * * * * *', 'UTC', from, 3).map((d) => d.toISOString())).toEqual([
      '2027-01-01T00:00:10.000Z',
      '2027-01-01T00:00:20.000Z',
      '2027-01-01T00:00:30.000Z',
    ]);
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('names each snapshot by its due time', () => {
    expect(snapshotName('nightly', new Date('2027-01-01T02:00:00.000Z'))).toBe('nightly-20270101T020000Z');
  });
});
