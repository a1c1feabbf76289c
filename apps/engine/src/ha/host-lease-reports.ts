import type { StorageStatusReport } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReportConsumer } from '../agents/report.consumer';
import { HostLeaseRepository } from './host-lease.repository';

/** Records what each agent's storage check saw of the other hosts' lease records, in engine time
 * (when the report is handled; a backlog handled late only makes a lease look younger, which delays a
 * death declaration and never hastens one). */
@Injectable()
export class HostLeaseReports implements OnModuleInit {
  constructor(
    private readonly reports: ReportConsumer,
    private readonly leases: HostLeaseRepository,
  ) {}

  onModuleInit(): void {
    this.reports.onStorageStatus((r) => this.record(r));
  }

  async record(report: StorageStatusReport): Promise<void> {
    if (report.leases?.length) await this.leases.record(report.hostId, new Date(), report.leases);
  }
}
