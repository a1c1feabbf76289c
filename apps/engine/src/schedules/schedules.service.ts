import { ApiErrorDetail, ObjectType, Permission } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessService } from '../auth/access.service';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { notFound, validationFailed } from '../common/errors/domain-error';
import type { Principal } from '../common/identity/request-context';
import { cronProblem, isTimeZone } from './cron';
import { ACTION_RULES } from './schedule-actions';
import { ScheduleQueue } from './schedule-queue';
import { ScheduleEntity } from './schedule.entity';
import {
  mapSchedule,
  mapScheduleDetail,
  nextRunOf,
  ScheduleDetailResponse,
  ScheduleResponse,
} from './schedule.response';
import { CreateScheduleDto } from './schedules.dto';
import { SchedulesRepository } from './schedules.repository';
import { HostRepository } from '../hosts/host.repository';
import { TaskRepository } from '../tasks/task.repository';
import { VmRepository } from '../vms/vm.repository';

/** A time without an offset would be read in the engine's own zone, which the caller cannot know. */
const HAS_UTC_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** Scheduled operations: every check happens before anything is written or armed. */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly repo: SchedulesRepository,
    private readonly queue: ScheduleQueue,
    private readonly access: AccessService,
    private readonly vms: VmRepository,
    private readonly hosts: HostRepository,
    private readonly tasks: TaskRepository,
  ) {}

  async create(dto: CreateScheduleDto, caller: Principal): Promise<ScheduleResponse> {
    const rule = ACTION_RULES[dto.action];
    const timezone = dto.timezone ?? 'UTC';
    const problems = this.whenProblems(dto, timezone).concat(this.fieldsNotOfAction(dto));
    if (problems.length)
      throw validationFailed(
        `the schedule is not valid: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
        problems,
      );
    const targetId = (rule.target === 'vm' ? dto.vmId : dto.hostId)!;
    await this.access.assert(caller, rule.permission, rule.target, targetId);
    if (rule.target === 'vm' && !(await this.vms.exists(targetId))) throw notFound(ObjectType.Vm, targetId);
    if (rule.target === 'host' && !(await this.hosts.exists(targetId)))
      throw notFound(ObjectType.Host, targetId);
    const targetHostId = dto.migrate?.targetHostId;
    if (targetHostId && !(await this.hosts.exists(targetHostId)))
      throw notFound(ObjectType.Host, targetHostId);

    const params: Record<string, unknown> = {};
    if (dto.migrate) params.migrate = { ...dto.migrate };
    if (dto.snapshotPrefix) params.snapshotPrefix = dto.snapshotPrefix;
    const s = await this.repo.insert(
      Object.assign(new ScheduleEntity(), {
        id: randomUUID(),
        name: dto.name ?? null,
        action: dto.action,
        targetType: rule.target,
        targetId,
        params,
        runAt: dto.runAt ? new Date(dto.runAt) : null,
        cron: dto.cron?.trim() ?? null,
        timezone,
        state: 'active',
        createdBy: caller.username,
        createdByUserId: caller.userId,
      }),
    );
    try {
      await this.queue.arm(s);
    } catch (err) {
      // Not armed means it would never run: nothing is kept, the caller sees the failure.
      await this.repo.remove(s.id);
      throw err;
    }
    return mapSchedule(s);
  }

  /** The schedules whose object the caller may see or act on, active first (by next run), then the rest. */
  async list(caller: Principal): Promise<ScheduleResponse[]> {
    const now = new Date();
    const visible: ScheduleEntity[] = [];
    for (const s of await this.repo.list()) if (await this.mayRead(caller, s)) visible.push(s);
    const at = (s: ScheduleEntity) => nextRunOf(s, now)?.getTime() ?? Number.MAX_SAFE_INTEGER;
    return visible.sort((a, b) => at(a) - at(b)).map((s) => mapSchedule(s, now));
  }

  async get(id: string, caller: Principal): Promise<ScheduleDetailResponse> {
    const s = await this.visible(id, caller);
    const runs = await this.repo.runsOf(s.id);
    const statuses = await this.tasks.statusesOf(runs.flatMap((r) => (r.taskId ? [r.taskId] : [])));
    return mapScheduleDetail(s, runs, statuses);
  }

  /** Cancel: it never runs again. A run under way keeps its task; cancelling twice is harmless. */
  async cancel(id: string, caller: Principal): Promise<ScheduleResponse> {
    const s = await this.visible(id, caller);
    const rule = ACTION_RULES[s.action];
    await this.access.assert(caller, rule.permission, rule.target, s.targetId);
    if (await this.repo.cancel(s.id)) await this.queue.disarm(s);
    return mapSchedule((await this.repo.get(s.id))!);
  }

  /** A schedule of an object the caller can neither see nor act on does not exist for them. */
  private async visible(id: string, caller: Principal): Promise<ScheduleEntity> {
    const s = await this.repo.get(id);
    if (!s || !(await this.mayRead(caller, s))) throw notFound('schedule', id);
    return s;
  }

  private async mayRead(caller: Principal, s: ScheduleEntity): Promise<boolean> {
    const held = await this.access.permissionsOn(caller, s.targetType, s.targetId);
    return held.has(Permission.View) || held.has(ACTION_RULES[s.action].permission);
  }

  private whenProblems(dto: CreateScheduleDto, timezone: string): ApiErrorDetail[] {
    if ((dto.runAt === undefined) === (dto.cron === undefined)) {
      const reason = 'give exactly one of runAt and cron';
      return [
        { field: 'runAt', reason },
        { field: 'cron', reason },
      ];
    }
    if (dto.runAt !== undefined && !HAS_UTC_OFFSET.test(dto.runAt))
      return [{ field: 'runAt', reason: `${dto.runAt} has no UTC offset: end it with Z or ±hh:mm` }];
    if (dto.runAt !== undefined)
      return Date.parse(dto.runAt) > Date.now()
        ? []
        : [{ field: 'runAt', reason: `${dto.runAt} is not in the future` }];
    if (!isTimeZone(timezone)) return [{ field: 'timezone', reason: `${timezone} is not an IANA time zone` }];
    const problem = cronProblem(dto.cron!, timezone, this.config.scheduleMinIntervalSeconds);
    return problem ? [{ field: 'cron', reason: problem }] : [];
  }

  /** Fields of another action are refused rather than ignored: the caller meant something else. */
  private fieldsNotOfAction(dto: CreateScheduleDto): ApiErrorDetail[] {
    const out: ApiErrorDetail[] = [];
    const not = (field: string, only: string) =>
      out.push({ field, reason: `only for ${only}, not ${dto.action}` });
    if (dto.migrate !== undefined && dto.action !== 'vm.migrate') not('migrate', 'vm.migrate');
    if (dto.snapshotPrefix !== undefined && dto.action !== 'vm.snapshot')
      not('snapshotPrefix', 'vm.snapshot');
    if (dto.hostId !== undefined && dto.action !== 'host.maintenance') not('hostId', 'host.maintenance');
    if (dto.vmId !== undefined && dto.action === 'host.maintenance') not('vmId', 'vm.* actions');
    if (dto.timezone !== undefined && dto.cron === undefined) not('timezone', 'a cron schedule');
    return out;
  }
}
