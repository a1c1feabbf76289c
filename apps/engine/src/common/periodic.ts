import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `everyMs` (first run one period after start), never two runs at once; a failed
 * run is logged and the next one happens as planned. Returns the function that stops it.
 */
export function startPeriodic(logger: Logger, what: string, everyMs: number, work: () => Promise<unknown>) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch((err: Error) => logger.warn(`${what} failed: ${err.message}`))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
