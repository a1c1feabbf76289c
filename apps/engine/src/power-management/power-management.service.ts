import { FenceAction, FenceRun, IpmiTarget, runFenceIpmilan } from '@kelpie/host-probe';
import { ErrorCode, EventSeverity, HostStatus, ObjectType } from '@kelpie/shared-types';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { SecretBox } from '../trust/secret-box';
import { AgentCommandError } from '../agents/agent-command.error';
import { CommandBus } from '../agents/command-bus.service';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { FenceRunner, fenceRunners, runnerName } from './fence-proxy';
import {
  PowerManagementTestResult,
  PowerManagementView,
  PutPowerManagementDto,
} from './power-management.dto';
import { HostPowerManagementEntity } from './power-management.entity';

const TEST_TIMEOUT_MS = 60_000;
const DEFAULT_IPMI_PORT = 623;

/**
 * A host's power management: the settings (the password sealed with the engine's secret key, bound to
 * the host), the "test" action (a status query through the real fence agent), and the power calls
 * hard fencing makes. The password leaves the engine only on fence_ipmilan's standard input.
 */
@Injectable()
export class PowerManagementService {
  private readonly logger = new Logger('PowerManagement');

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly bus: CommandBus,
    @InjectRepository(HostPowerManagementEntity) private readonly repo: Repository<HostPowerManagementEntity>,
    private readonly hosts: HostRepository,
    private readonly box: SecretBox,
    private readonly events: EventsService,
  ) {}

  async get(hostId: string): Promise<PowerManagementView> {
    await this.host(hostId);
    return view(await this.settings(hostId));
  }

  /** Host ids with power management (the fence agent asks before each decision round). */
  async configured(hostId: string): Promise<boolean> {
    return (await this.repo.countBy({ hostId })) > 0;
  }

  async put(hostId: string, dto: PutPowerManagementDto, meta: RequestMeta): Promise<PowerManagementView> {
    const host = await this.host(hostId);
    const existing = await this.repo.findOneBy({ hostId });
    if (!dto.password && !existing)
      throw validationFailed('a password is required the first time power management is set', [
        { field: 'password', reason: 'required (no password is stored yet)' },
      ]);
    const row = this.repo.create({
      hostId,
      type: dto.type,
      address: dto.address,
      port: dto.port ?? DEFAULT_IPMI_PORT,
      username: dto.username,
      passwordSealed: dto.password
        ? this.box.seal(dto.password, sealContext(hostId))
        : existing!.passwordSealed,
      lanplus: dto.lanplus ?? true,
      cipher: dto.cipher ?? null,
      updatedAt: new Date(),
    });
    await this.repo.save(row);
    await this.events.record({
      type: 'host.power_management_set',
      message:
        `power management of host ${host.name} set by ${meta.actor}: ${row.type} ${row.username}@${row.address}:${row.port}` +
        (dto.password ? ' (new password)' : ''),
      refs: [refOf(ObjectType.Host, host)],
      correlationId: meta.correlationId,
    });
    return view(row);
  }

  async remove(hostId: string, meta: RequestMeta): Promise<void> {
    const host = await this.host(hostId);
    const { affected } = await this.repo.delete({ hostId });
    if (!affected) throw noPowerManagement(host);
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'host.power_management_removed',
      message: `power management of host ${host.name} removed by ${meta.actor}: it can no longer be fenced automatically`,
      refs: [refOf(ObjectType.Host, host)],
      correlationId: meta.correlationId,
    });
  }

  /** Asks the BMC for the host's power status; a failure is a 422 naming the setting to fix. */
  async test(hostId: string): Promise<PowerManagementTestResult> {
    const host = await this.host(hostId);
    const run = await this.power(hostId, 'status', AbortSignal.timeout(TEST_TIMEOUT_MS));
    if (!run.ok || !run.powerStatus)
      throw new DomainError(
        ErrorCode.Unprocessable,
        `power management test of host ${host.name} failed: ${run.detail}`,
        [{ field: run.field ?? 'address', reason: run.detail }],
      );
    return { powerStatus: run.powerStatus, detail: run.detail };
  }

  /**
   * One call to the host's fence agent (status, off or on), run by the first runner of the proxy
   * preference that can: a healthy host's agent (`host.fence`), or the engine. The next runner is tried
   * only when a proxy could not run the call at all (its agent did not take or finish the command); a
   * BMC's answer, even a failure, is the answer — asking it again through another proxy would only
   * double the wait. The detail names who ran it.
   */
  async power(hostId: string, action: FenceAction, signal: AbortSignal): Promise<FenceRun> {
    const s = await this.settings(hostId);
    const target: IpmiTarget = {
      address: s.address,
      port: s.port,
      username: s.username,
      password: this.box.open(s.passwordSealed, sealContext(hostId)),
      lanplus: s.lanplus,
      cipher: s.cipher ?? undefined,
    };
    const skipped: string[] = [];
    for (const runner of await this.runners(hostId)) {
      if (signal.aborted) break;
      const run = await this.runOn(runner, target, action, signal);
      if (run) return { ...run, detail: `${run.detail} (run by ${runnerName(runner)})` };
      skipped.push(runnerName(runner));
    }
    return {
      ok: false,
      detail:
        `no proxy could run fence_ipmilan ${action}` +
        (skipped.length ? ` (${skipped.join(', ')} did not answer)` : ' (no Up host to proxy it)') +
        ` and the fence proxy preference (${this.config.fencing.proxyPreference.join(',')}) leaves the engine out`,
    };
  }

  /** The call's result, or undefined when this proxy could not run it (try the next one). */
  private async runOn(
    runner: FenceRunner,
    target: IpmiTarget,
    action: FenceAction,
    signal: AbortSignal,
  ): Promise<FenceRun | undefined> {
    if (runner.via === 'engine') return runFenceIpmilan(target, action, signal);
    try {
      const run = await this.bus.send(runner.id, 'host.fence', {
        target: { agent: 'ipmilan', ...target },
        action,
      });
      if (!run.missing) return run;
      this.logger.warn(`fence proxy ${runner.name} has no fence agent installed: ${run.detail}`);
      return undefined;
    } catch (e) {
      const code = e instanceof AgentCommandError ? e.code : 'internal';
      this.logger.warn(
        `fence proxy ${runner.name} could not run ${action} (${code}): ${(e as Error).message}`,
      );
      return undefined;
    }
  }

  private async runners(hostId: string): Promise<FenceRunner[]> {
    const facts = await this.hosts.factsOf(hostId);
    if (!facts) return [];
    const preference = this.config.fencing.proxyPreference;
    const [cluster, datacenter] = await Promise.all([
      preference.includes('cluster') ? this.hosts.inCluster(facts.clusterId) : [],
      preference.includes('dc') ? this.hosts.inDatacenter(facts.datacenterId, [HostStatus.Up]) : [],
    ]);
    return fenceRunners(facts, preference, cluster, datacenter);
  }

  private async settings(hostId: string): Promise<HostPowerManagementEntity> {
    const row = await this.repo.findOneBy({ hostId });
    if (!row) throw noPowerManagement(await this.host(hostId));
    return row;
  }

  private async host(id: string): Promise<HostEntity> {
    const host = await this.hosts.find(id);
    if (!host) throw notFound(ObjectType.Host, id);
    return host;
  }
}

/** The sealed password belongs to this host's row: copied to another row, it does not decrypt. */
const sealContext = (hostId: string) => `host-power-management:${hostId}`;

const noPowerManagement = (host: HostEntity) =>
  new DomainError(ErrorCode.NotFound, `host ${host.name} has no power management`, [
    { reason: 'no power management', ref: { type: ObjectType.Host, id: host.id } },
  ]);

function view(row: HostPowerManagementEntity): PowerManagementView {
  const { type, address, port, username, lanplus, cipher, updatedAt } = row;
  return { type, address, port, username, passwordSet: !!row.passwordSealed, lanplus, cipher, updatedAt };
}
