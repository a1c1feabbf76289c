export type DependencyState = 'up' | 'down';

export interface DependencyHealth {
  status: DependencyState;
  /** Round trip of the probe in milliseconds, when it answered. */
  latencyMs?: number;
  /** Why it is down, in words a person can act on. */
  message?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  postgres: DependencyHealth;
  redis: DependencyHealth;
}
