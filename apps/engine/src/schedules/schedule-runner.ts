import type { Task } from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import type { Principal } from '../common/identity/request-context';
import { DomainError } from '../common/errors/domain-error';
import type { RequestMeta } from '../common/http/request-meta';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { VmMigrationService } from '../vm-migration/vm-migration.service';
import type { MigrateVmDto } from '../vm-migration/vm-migration.dto';
import { VmPowerService } from '../vm-operations/vm-power.service';
import { VmSnapshotsService } from '../vm-snapshots/vm-snapshots.service';
import { ACTION_RULES, POWER_VERBS, snapshotName } from './schedule-actions';
import type { ScheduleEntity } from './schedule.entity';
import { SchedulesRepository } from './schedules.repository';

/**
 * One run of a schedule: claimed once across engines, then the action launched through the same
 * service its route calls (so every check, lock and precondition applies). A refusal is the run's
 * outcome with its reason; it is not retried.
 */
@Injectable()
export class ScheduleRunner {
  private readonly logger = new Logger(ScheduleRunner.name);

  constructor(
    private readonly repo: SchedulesRepository,
    private readonly access: AccessService,
    private readonly power: VmPowerService,
    private readonly migrations: VmMigrationService,
    private readonly maintenance: MaintenanceService,
    private readonly snapshots: VmSnapshotsService,
  ) {}

  async run(scheduleId: string, dueAt: Date): Promise<void> {
    const s = await this.repo.get(scheduleId);
    if (!s || s.state !== 'active') return; // cancelled (or a job left from a deleted schedule)
    const runId = await this.repo.claimRun(s.id, dueAt);
    if (!runId) return; // another engine has this run
    try {
      const task = await this.launch(s, dueAt);
      await this.repo.finishRun(runId, 'started', task.id, null);
      this.logger.log(`schedule ${s.id} (${s.action}) due ${dueAt.toISOString()}: task ${task.id}`);
    } catch (err) {
      const reason = err instanceof DomainError ? `${err.code}: ${err.message}` : (err as Error).message;
      await this.repo.finishRun(runId, 'refused', null, reason.slice(0, 2048));
      // A refused run is an expected outcome (the VM was in the wrong state): not an engine error.
      this.logger.log(`schedule ${s.id} (${s.action}) due ${dueAt.toISOString()} refused: ${reason}`);
    } finally {
      if (s.runAt) await this.repo.markDone(s.id);
    }
  }

  private async launch(s: ScheduleEntity, dueAt: Date): Promise<Task> {
    await this.assertCreatorMay(s);
    const meta: RequestMeta = { actor: s.createdBy, correlationId: `schedule-${s.id}` };
    const id = s.targetId;
    switch (s.action) {
      case 'vm.migrate':
        return this.migrations.migrate(id, (s.params.migrate ?? {}) as MigrateVmDto, meta);
      case 'host.maintenance':
        return this.maintenance.enter(id, meta);
      case 'vm.snapshot':
        return this.snapshots.create(
          id,
          { name: snapshotName(String(s.params.snapshotPrefix), dueAt) },
          meta,
        );
      default:
        return this.power.power(id, POWER_VERBS[s.action], {}, meta);
    }
  }

  /** The creator's permissions as they are now: a user whose grant was taken away (or who was
   * deleted) no longer acts through the schedules they left. */
  private async assertCreatorMay(s: ScheduleEntity): Promise<void> {
    const rule = ACTION_RULES[s.action];
    if (!s.createdByUserId) throw new Error(`its creator ${s.createdBy} no longer exists`);
    const principal: Principal = {
      userId: s.createdByUserId,
      username: s.createdBy,
      groupIds: await this.access.groupIdsOf(s.createdByUserId),
      via: 'token',
      tokenId: null,
      readOnly: false,
      sourceAddress: null,
      sessionHash: null,
    };
    await this.access.assert(principal, rule.permission, rule.target, s.targetId);
  }
}
