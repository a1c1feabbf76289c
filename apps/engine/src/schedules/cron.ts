import { CronExpressionParser } from 'cron-parser';

/** How many upcoming runs are compared to find a cron expression's shortest gap. */
const SAMPLE_RUNS = 64;

/** Is `tz` an IANA time zone this Node knows? */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Why `cron` cannot be a schedule's expression in `tz`, or null when it can. Five fields (minute
 * first) or six (second first), as BullMQ's job schedulers read them; runs closer together than
 * `minIntervalSeconds` are refused, since each run launches a task on a host. */
export function cronProblem(cron: string, tz: string, minIntervalSeconds: number): string | null {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `has ${fields} fields; 5 (minute first) or 6 (second first)`;
  let runs: Date[];
  try {
    runs = upcomingRuns(cron, tz, new Date(), SAMPLE_RUNS);
  } catch (e) {
    return `is not a cron expression: ${(e as Error).message}`;
  }
  if (runs.length === 0) return 'never runs';
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i].getTime() - runs[i - 1].getTime()) / 1000;
    if (gap < minIntervalSeconds)
      return `runs ${gap} s apart; the minimum interval is ${minIntervalSeconds} s`;
  }
  return null;
}

/** The next `count` run times after `from` (fewer when the expression ends, e.g. a past year). */
export function upcomingRuns(cron: string, tz: string, from: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(cron, { tz, currentDate: from, strict: false });
  const out: Date[] = [];
  while (out.length < count && it.hasNext()) out.push(it.next().toDate());
  return out;
}

/** The next run after `from`, or null when there is none. */
export function nextRun(cron: string, tz: string, from: Date): Date | null {
  try {
    return upcomingRuns(cron, tz, from, 1)[0] ?? null;
  } catch {
    return null;
  }
}
