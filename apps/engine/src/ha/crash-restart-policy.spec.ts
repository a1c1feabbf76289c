import { decideCrashRestart } from './crash-restart-policy';

const limits = { maxRestarts: 3, windowMs: 600_000, backoffMs: 10_000 };
const NOW = 1_000_000_000;

describe('crash restart back-off', () => {
  it('restarts at once the first time, then waits twice as long each time', () => {
    expect(decideCrashRestart([], NOW, limits)).toMatchObject({ action: 'restart', delayMs: 0, attempt: 1 });
    expect(decideCrashRestart([NOW - 1000], NOW, limits)).toMatchObject({ delayMs: 10_000, attempt: 2 });
    expect(decideCrashRestart([NOW - 2000, NOW - 1000], NOW, limits)).toMatchObject({
      delayMs: 20_000,
      attempt: 3,
    });
  });

  it('gives up after the last allowed restart of the window, saying why', () => {
    const d = decideCrashRestart([NOW - 3000, NOW - 2000, NOW - 1000], NOW, limits);
    expect(d.action).toBe('give-up');
    expect(d.reason).toMatch(/already restarted 3 time\(s\) within 600 s \(at most 3\)/);
  });

  it('forgets restarts older than the window', () => {
    expect(decideCrashRestart([NOW - 700_000, NOW - 650_000, NOW - 1000], NOW, limits)).toMatchObject({
      action: 'restart',
      attempt: 2,
    });
  });

  it('never restarts when no restart is allowed', () => {
    expect(decideCrashRestart([], NOW, { ...limits, maxRestarts: 0 }).action).toBe('give-up');
  });
});
