import {
  EventSeverity,
  MigrationStatus,
  ObjectRef,
  ObjectType,
  Page,
  Task,
  TaskStep,
} from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ConcurrencyLimit } from '../common/concurrency-limit';
import { invalidState, notFound } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { ListSpec, paginate } from '../common/list/list-query';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { isFinal, TasksService } from '../tasks/tasks.service';
import { VmEntity } from '../vms/vm.entity';
import { VmRepository } from '../vms/vm.repository';
import { MigrationPlan, MigrationPlanner } from './migration-planner';
import { hostRef, MigrationRepository, vmRef } from './migration.repository';
import { Reservations } from './migration-scheduler';
import { MigrateVmDto, MigrationListQuery } from './vm-migration.dto';
import { VmMigrationEntity } from './vm-migration.entity';
import { MigrationRunner } from './migration-runner';
import { MIGRATE_TASK } from './migration-task';

const LIST: ListSpec = {
  sortable: { createdAt: 'm.createdAt', finishedAt: 'm.finishedAt', status: 'm.status' },
  defaultSort: 'createdAt',
  defaultOrder: 'desc',
  filters: {
    vmId: 'm.vmId',
    status: 'm.status',
    hostId: (qb, v, p) => qb.andWhere(`(m.sourceHostId = :${p} OR m.targetHostId = :${p})`, { [p]: v }),
  },
};

/**
 * Live migration requests: pre-checks (nothing is sent to a host when one fails), target scheduling
 * and admission, then the `vm.migrate` task (MigrationRunner drives it, MigrationSettlement ends it,
 * MigrationCancel stops it); and the reads other features ask about migrations.
 */
@Injectable()
export class VmMigrationService {
  /** Pre-checks hold a transaction (the VM's lock) while the planner reads on other connections. */
  private readonly checking: ConcurrencyLimit;

  constructor(
    @InjectRepository(VmMigrationEntity) private readonly repo: Repository<VmMigrationEntity>,
    private readonly vms: VmRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly tasks: TasksService,
    private readonly events: EventsService,
    private readonly planner: MigrationPlanner,
    private readonly migrations: MigrationRepository,
    private readonly runner: MigrationRunner,
  ) {
    this.checking = new ConcurrencyLimit(Math.max(1, Math.floor(config.databasePoolSize / 3)));
  }

  // ---- API ----

  async get(id: string): Promise<VmMigrationEntity> {
    const m = await this.repo.findOneBy({ id });
    if (!m) throw notFound('migration', id);
    return m;
  }

  async list(query: MigrationListQuery): Promise<Page<VmMigrationEntity>> {
    return paginate(this.repo.createQueryBuilder('m'), query, LIST);
  }

  /**
   * Takes the VM's task lock, checks everything under it, then starts the `vm.migrate` task (202).
   * Locking before the pre-checks ask the hosts means an operation racing this one (a delete
   * destroying the domain) either waits for the checks and is refused naming this task, or took the
   * VM first and this request is refused naming it; a failed pre-check rolls the task back unseen.
   */
  async migrate(
    vmId: string,
    dto: MigrateVmDto,
    meta: RequestMeta,
    reservations?: Reservations,
    /** Why the engine itself moves the VM (balancing): leads the target reason on the task and row. */
    why?: string,
  ): Promise<Task> {
    const vm = await this.vms.byId(vmId);
    if (!vm) throw notFound(ObjectType.Vm, vmId);
    const steps: TaskStep[] = [
      { name: 'select target', status: 'pending' },
      { name: 'pre-checks', status: 'pending' },
      { name: 'migrate', status: 'pending' },
      { name: 'confirm new owner', status: 'pending' },
    ];
    let plan: MigrationPlan | undefined;
    const task = await this.checking.run(() =>
      this.db.transaction(async (em) => {
        const created = await this.tasks.create(
          MIGRATE_TASK,
          vmRef(vm),
          meta.actor,
          meta.correlationId,
          steps,
          {
            manager: em,
            verify: async () => {
              plan = await this.planner.plan(vmId, dto, reservations);
              if (why) plan = { ...plan, targetReason: `${why}; ${plan.targetReason}` };
              await this.admit(plan, em);
              steps[0] = { ...steps[0]!, status: 'done', message: plan.targetReason };
              steps[1] = {
                ...steps[1]!,
                status: 'done',
                message: 'running, devices, CPU, memory, storage, networks',
              };
            },
            describeSteps: () => steps,
          },
        );
        const { source, target } = plan!;
        await em.insert(VmMigrationEntity, {
          id: created.id,
          vmId: vm.id,
          sourceHostId: source.id,
          targetHostId: target.id,
          status: MigrationStatus.Running,
          policy: plan!.policy,
          targetReason: plan!.targetReason,
          progress: null,
          progressSamples: 0,
          result: null,
          error: null,
          targetRunningAt: null,
          sourceGoneAt: null,
          finishedAt: null,
        });
        return created;
      }),
    );
    return this.runner.start(task, plan!, steps, meta);
  }

  /** The per-VM and per-host migration limits, counted under the fleet-wide admission lock that the
   * transaction holds until the migration row is written. */
  private async admit({ vm, source, target }: MigrationPlan, em: EntityManager): Promise<void> {
    await this.migrations.lockAdmission(em);
    const counts = await this.migrations.admissionCounts(vm.id, source.id, target.id, em);
    if (counts.busy)
      throw invalidState(`VM ${vm.name} is already migrating`, [
        { reason: 'a migration is running', ref: vmRef(vm) },
      ]);
    if (counts.outgoing >= this.config.migrationMaxOutgoing)
      throw invalidState(
        `host ${source.name} is already sending ${counts.outgoing} migration(s) (limit ${this.config.migrationMaxOutgoing}); retry when one finished`,
        [{ reason: 'outgoing migration limit reached', ref: hostRef(source) }],
      );
    if (counts.incoming >= this.config.migrationMaxIncoming)
      throw invalidState(
        `host ${target.name} is already receiving ${counts.incoming} migration(s) (limit ${this.config.migrationMaxIncoming}); retry when one finished`,
        [{ reason: 'incoming migration limit reached', ref: hostRef(target) }],
      );
  }

  /** For maintenance: the VMs of a host that are still where they were. */
  async vmsOn(hostId: string): Promise<VmEntity[]> {
    return this.vms.onHost(hostId);
  }

  async waitForTask(id: string, timeoutMs: number): Promise<Task> {
    const deadline = Date.now() + timeoutMs;
    let task = await this.tasks.get(id);
    while (!isFinal(task.status) && Date.now() < deadline)
      task = await this.tasks.wait(id, Math.min(60_000, deadline - Date.now()));
    return task;
  }

  async recordEvent(
    severity: EventSeverity,
    type: string,
    message: string,
    refs: ObjectRef[],
    correlationId?: string,
  ) {
    await this.events.record({ severity, type, message, refs, correlationId });
  }
}
