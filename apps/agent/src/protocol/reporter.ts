import { AgentReport, HEARTBEAT_QUEUE, HeartbeatReport, REPORT_QUEUE } from '@kelpie/shared-types';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** Small job options so Redis never grows with reports: completed jobs go away at once, a few
 * failed ones are kept for diagnosis. */
export const HEARTBEAT_JOB_OPTS: JobsOptions = { removeOnComplete: true, removeOnFail: 50 };
export const REPORT_JOB_OPTS: JobsOptions = { removeOnComplete: true, removeOnFail: 200 };

type ReportInput = AgentReport extends infer R
  ? R extends AgentReport
    ? Omit<R, 'hostId' | 'sentAt'>
    : never
  : never;
type HeartbeatInput = Omit<HeartbeatReport, 'hostId' | 'sentAt' | 'kind'>;

/** Producer for HEARTBEAT_QUEUE and REPORT_QUEUE. Every report is validated against its zod schema
 * before it leaves. Job names are the report kinds. */
export class Reporter {
  readonly heartbeats: Queue;
  readonly reports: Queue;

  constructor(
    private readonly hostId: string,
    connection: Redis,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.heartbeats = new Queue(HEARTBEAT_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: HEARTBEAT_JOB_OPTS,
    });
    this.reports = new Queue(REPORT_QUEUE, { connection, prefix, defaultJobOptions: REPORT_JOB_OPTS });
  }

  async heartbeat(h: HeartbeatInput): Promise<HeartbeatReport> {
    const report = HeartbeatReport.parse({
      ...h,
      kind: 'heartbeat',
      hostId: this.hostId,
      sentAt: new Date().toISOString(),
    });
    await this.heartbeats.add('heartbeat', report);
    return report;
  }

  async report(r: ReportInput): Promise<AgentReport> {
    const report = AgentReport.parse({ ...r, hostId: this.hostId, sentAt: new Date().toISOString() });
    await this.reports.add(report.kind, report);
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

  async close(): Promise<void> {
    await Promise.allSettled([this.heartbeats.close(), this.reports.close()]);
  }
}
