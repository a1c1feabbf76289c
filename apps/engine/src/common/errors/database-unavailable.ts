/** SQLSTATEs and socket errors that mean "Postgres is away for now", not "this statement is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown (server restarting)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08006',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|terminating connection|database system is (starting up|shutting down|in recovery mode)|ECONNREFUSED|Client has encountered a connection error/i;

/** TypeORM releases a transaction's connection by itself when Postgres drops it; the transaction's
 * next statement then fails with this instead of the connection error (seen during a Postgres restart
 * between a task's insert and its locks). */
const RELEASED_BY_CONNECTION_LOSS = 'QueryRunnerProviderAlreadyReleasedError';

/** True when an error (also TypeORM's QueryFailedError around a pg error) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as {
    code?: unknown;
    name?: unknown;
    driverError?: { code?: unknown; message?: unknown };
    message?: unknown;
  };
  if (e?.name === RELEASED_BY_CONNECTION_LOSS) return true;
  const code = e?.code ?? e?.driverError?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return [e?.message, e?.driverError?.message].some(
    (m) => typeof m === 'string' && UNAVAILABLE_MESSAGE.test(m),
  );
}

/**
 * Runs `work`, repeating it while Postgres is unreachable (a restart, a failover) for up to
 * `maxWaitMs`; other errors, and the outage lasting longer, are thrown. For work that must not be
 * lost and is safe to repeat, e.g. applying an agent's report.
 */
export async function whileDatabaseAway<T>(
  work: () => Promise<T>,
  maxWaitMs = 60_000,
  onRetry: (err: Error) => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + maxWaitMs;
  for (let delay = 100; ; delay = Math.min(2000, delay * 2)) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > deadline) throw err;
      onRetry(err as Error);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
