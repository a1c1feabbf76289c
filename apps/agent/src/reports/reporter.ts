import {
  AgentReport,
  agentOutboxKey,
  HeartbeatReport,
  OUTBOX_FIELD,
  type AgentOutbox,
} from '@kelpie/shared-types';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** Outbox bounds (approximate trim): the engine relays entries within milliseconds; these only cap
 * what piles up while no engine runs. An old heartbeat is worthless, reports are kept longer. */
const MAX_ENTRIES: Record<AgentOutbox, number> = { heartbeats: 100, reports: 50_000 };

type ReportInput = AgentReport extends infer R
  ? R extends AgentReport
    ? Omit<R, 'hostId' | 'sentAt'>
    : never
  : never;
type HeartbeatInput = Omit<HeartbeatReport, 'hostId' | 'sentAt' | 'kind'>;

/** Appends heartbeats and reports to this host's two outbox streams, the only keys its Redis user may
 * write besides its command queue (the engine relays them). Every report is validated against its
 * zod schema before it leaves. */
export class Reporter {
  constructor(
    private readonly hostId: string,
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  private async append(outbox: AgentOutbox, report: unknown): Promise<void> {
    await this.connection.xadd(
      agentOutboxKey(this.prefix, this.hostId, outbox),
      'MAXLEN',
      '~',
      MAX_ENTRIES[outbox],
      '*',
      OUTBOX_FIELD,
      JSON.stringify(report),
    );
  }

  async heartbeat(h: HeartbeatInput): Promise<HeartbeatReport> {
    const report = HeartbeatReport.parse({
      ...h,
      kind: 'heartbeat',
      hostId: this.hostId,
      sentAt: new Date().toISOString(),
    });
    await this.append('heartbeats', report);
    return report;
  }

  async report(r: ReportInput): Promise<AgentReport> {
    const report = AgentReport.parse({ ...r, hostId: this.hostId, sentAt: new Date().toISOString() });
    await this.append('reports', report);
    this.log.debug({ kind: report.kind }, 'report sent');
    return report;
  }

  /** Like report() but never throws (logs instead): for background loops. */
  async tryReport(r: ReportInput): Promise<AgentReport | null> {
    try {
      return await this.report(r);
    } catch (e) {
      this.log.warn({ err: (e as Error).message, kind: r.kind }, 'report not sent');
      return null;
    }
  }

  async close(): Promise<void> {}
}
