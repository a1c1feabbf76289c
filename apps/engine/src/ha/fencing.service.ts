import { EventSeverity, HostStatus, ObjectType } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../common/advisory-lock';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { refOf } from '../crud/inventory.service';
import { EventsService } from '../events/events.service';
import { EventListQuery } from '../events/events.dto';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { TasksService } from '../tasks/tasks.service';
import { FENCE_AGENTS, FenceAgent, FenceOutcome } from './fence-agent';
import { decideFencing, FenceDecision, FenceRule } from './fence-policy';
import { FENCED_TASK, HaRestartService } from './ha-restart.service';
import { describeLease, leaseVerdict } from './host-lease-verdict';
import { HostLeaseRepository } from './host-lease.repository';

/** Audit event types of fencing (the rate limit counts `host.fence_call`, every engine's). */
export const FENCE_DECISION_EVENT = 'host.fence_decision';
export const FENCE_CALL_EVENT = 'host.fence_call';
export const FENCE_STEP_EVENT = 'host.fence_step';
/** A soft fence (agent restarted over SSH): not counted by the rate limit of (hard) fence calls. */
export const SOFT_FENCE_CALL_EVENT = 'host.soft_fence_call';
/** A host whose BMC failed and whose storage leases expired: dead without a fence (ADR 0037). */
export const DECLARED_DEAD_EVENT = 'host.declared_dead';
const FENCE_TIMEOUT_MS = 120_000;
/** Postgres advisory lock serializing fence calls of all engines ("kelpfenc"). */
const FENCE_LOCK_KEY = 0x6b656c7066656e63n;

/**
 * Looks at non-responsive hosts and decides, by the fencing policy (fence-policy.ts), whether to
 * fence them. Every decision is an audit event with its reason — once per host and rule, not at every
 * check. A fence that proves the host off releases its VMs (HA ones restart elsewhere); any other
 * outcome leaves them unknown.
 */
@Injectable()
export class FencingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Fencing');
  /** When this engine started: before the startup grace has passed, it fences nothing. */
  private readonly startedAt = Date.now();
  /** Host id → rule of the last audited decision. */
  private readonly decided = new Map<string, FenceRule>();
  /** Hosts a fence proved off: not fenced again until they have come back. */
  private readonly provenOff = new Set<string>();
  /** Host id → this spell's soft fence (when, and whether its script succeeded). */
  private readonly softFenced = new Map<string, { at: number; ok: boolean }>();
  /** Host id → when its hard fence failed: until the BMC is asked again, the host is declared dead
   * as soon as its leases have expired, and held until then. */
  private readonly hardFailed = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly hosts: HostRepository,
    @Inject(FENCE_AGENTS) private readonly agents: FenceAgent[],
    private readonly events: EventsService,
    private readonly tasks: TasksService,
    private readonly restart: HaRestartService,
    private readonly ds: DataSource,
    private readonly leases: HostLeaseRepository,
  ) {}

  onModuleInit(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One check at a time: the next is planned when the previous one has ended. */
  private schedule(): void {
    if (this.stopped) return;
    const every = Math.max(1000, Math.min(5000, Math.floor(this.config.heartbeatTimeoutMs / 2)));
    this.timer = setTimeout(() => {
      void this.check()
        .catch((err: Error) => this.logger.warn(`fencing check failed: ${err.message}`))
        .finally(() => this.schedule());
    }, every);
  }

  /** Decides (and audits) for every non-responsive host; hosts back to life are forgotten. */
  async check(): Promise<void> {
    const silent = await this.hosts.withStatus(HostStatus.NonResponsive);
    const ids = new Set(silent.map((h) => h.id));
    for (const id of this.decided.keys()) if (!ids.has(id)) this.decided.delete(id);
    for (const id of this.provenOff) if (!ids.has(id)) this.provenOff.delete(id);
    for (const id of this.softFenced.keys()) if (!ids.has(id)) this.softFenced.delete(id);
    for (const id of this.hardFailed.keys()) if (!ids.has(id)) this.hardFailed.delete(id);
    for (const host of silent) if (!this.provenOff.has(host.id)) await this.consider(host);
  }

  private async consider(host: HostEntity): Promise<void> {
    const f = this.config.fencing;
    const now = Date.now();
    const failedAt = this.hardFailed.get(host.id);
    if (failedAt !== undefined && now - failedAt < 2 * FENCE_TIMEOUT_MS) {
      await withAdvisoryLock(this.ds, FENCE_LOCK_KEY, () => this.declareDeadIfExpired(host));
      return;
    }
    this.hardFailed.delete(host.id);
    const lease = await this.leases.find(host.id);
    const softKinds = this.agents.filter((a) => a.soft).map((a) => a.kind);
    const clusterStatuses = await this.hosts.statusesIn(host.clusterId);
    const soft = this.softFenced.get(host.id);
    const decision =
      soft?.ok && now - soft.at < f.softGraceMs
        ? softGrace(host, f.softGraceMs)
        : decideFencing({
            now,
            engineStartedAt: this.startedAt,
            host,
            clusterStatuses,
            recentFencesInCluster: await this.recentFences(host.clusterId, now - f.windowMs),
            // A soft fence is tried once per spell; after it, only the hard agents remain.
            agents: (await this.agentsFor(host)).filter((k) => !soft || !this.isSoft(k)),
            softAgents: softKinds,
            lease: leaseVerdict(lease, now, f.leaseTimeoutMs),
            leaseDetail: describeLease(lease, now),
            startupGraceMs: f.startupGraceMs,
            maxUnreachablePercent: f.maxUnreachablePercent,
            maxPerCluster: f.maxPerCluster,
            windowMs: f.windowMs,
          });
    await this.auditOnce(host, decision);
    if (decision.action !== 'fence') return;
    if (this.isSoft(decision.agent!))
      await withAdvisoryLock(this.ds, FENCE_LOCK_KEY, () => this.softFence(host, decision));
    else await withAdvisoryLock(this.ds, FENCE_LOCK_KEY, () => this.fenceUnlessFenced(host, decision));
  }

  private isSoft(kind: string): boolean {
    return !!this.agents.find((a) => a.kind === kind)?.soft;
  }

  /** The soft fence, once per spell: its outcome decides whether the next checks wait for the host
   * (it worked: the soft grace) or go on to the hard agents at once (it failed). */
  private async softFence(host: HostEntity, d: FenceDecision): Promise<void> {
    const current = await this.hosts.find(host.id);
    if (current?.status !== HostStatus.NonResponsive || this.softFenced.has(host.id)) return;
    const outcome = await this.fence(current, d, SOFT_FENCE_CALL_EVENT);
    this.softFenced.set(host.id, { at: Date.now(), ok: outcome.ok });
  }

  /**
   * Every engine decides, one fences at a time: under the deployment-wide fencing lock, a host fenced
   * (or tried) within twice a fence's duration — by another engine meanwhile, or by this one — is not
   * fenced again yet: a second power off could catch it booting after the first one's power on, and a
   * BMC that failed is asked again only after that pause (the per-cluster rate limit still counts).
   */
  private async fenceUnlessFenced(host: HostEntity, d: FenceDecision): Promise<void> {
    const current = await this.hosts.find(host.id);
    if (current?.status !== HostStatus.NonResponsive) return;
    const recent = await this.events.list({
      type: FENCE_CALL_EVENT,
      objectId: host.id,
      since: new Date(Date.now() - 2 * FENCE_TIMEOUT_MS).toISOString(),
      limit: 1,
    } as EventListQuery);
    if (recent.total === 0) await this.fence(current, d, FENCE_CALL_EVENT);
  }

  private async agentsFor(host: HostEntity): Promise<string[]> {
    const kinds: string[] = [];
    for (const a of this.agents) if (await a.appliesTo(host)) kinds.push(a.kind);
    return kinds;
  }

  private async recentFences(clusterId: string, since: number): Promise<number> {
    const page = await this.events.list({
      type: FENCE_CALL_EVENT,
      objectId: clusterId,
      since: new Date(since).toISOString(),
      limit: 1,
    } as EventListQuery);
    return page.total;
  }

  private async auditOnce(host: HostEntity, d: FenceDecision): Promise<void> {
    if (this.decided.get(host.id) === d.rule) return;
    this.decided.set(host.id, d.rule);
    await this.audit(host, d);
  }

  /**
   * Total power loss takes the BMC down with the host, so no fence can prove it off. The host's lease
   * records can: once another host has watched them stay unchanged for longer than the lease timeout,
   * the host no longer writes to the shared storage — it is declared dead (audited with what the
   * leases showed) and its VMs are released as after a fence. Never before: until then it is held.
   */
  private async declareDeadIfExpired(host: HostEntity): Promise<void> {
    const current = await this.hosts.find(host.id);
    if (current?.status !== HostStatus.NonResponsive || this.provenOff.has(host.id)) return;
    const now = Date.now();
    const lease = await this.leases.find(host.id);
    const detail = describeLease(lease, now);
    if (leaseVerdict(lease, now, this.config.fencing.leaseTimeoutMs) !== 'expired') {
      await this.auditOnce(current, {
        action: 'hold',
        rule: 'awaiting-lease-expiry',
        reason:
          `its BMC did not power host ${current.name} off; its VMs stay unknown until its storage ` +
          `leases have expired (${detail}; lease timeout ${Math.round(this.config.fencing.leaseTimeoutMs / 1000)} s)`,
      });
      return;
    }
    const correlationId = randomUUID();
    const reason = `host ${current.name} was declared dead: its BMC did not answer and its storage leases expired`;
    const refs = [refOf(ObjectType.Host, current), { type: ObjectType.Cluster, id: current.clusterId }];
    await this.events.record({
      severity: EventSeverity.Warning,
      type: DECLARED_DEAD_EVENT,
      message: `${reason} (${detail})`,
      refs,
      correlationId,
    });
    this.provenOff.add(current.id);
    await this.releaseVms(current, reason, correlationId);
  }

  private async releaseVms(host: HostEntity, reason: string, correlationId: string): Promise<void> {
    const meta = { actor: 'fencing', correlationId };
    const task = await this.tasks.create(
      FENCED_TASK,
      refOf(ObjectType.Host, host),
      meta.actor,
      correlationId,
    );
    await this.tasks.run(task, (ctx) =>
      this.restart.releaseVms(ctx, host, reason, meta).then((r) => ({ ...r })),
    );
  }

  private async audit(host: HostEntity, d: FenceDecision, correlationId?: string): Promise<void> {
    await this.events.record({
      severity: d.action === 'fence' ? EventSeverity.Warning : EventSeverity.Info,
      type: FENCE_DECISION_EVENT,
      message: `fencing of host ${host.name}: ${d.action === 'fence' ? 'fence' : 'hold'} (${d.rule}): ${d.reason}`,
      refs: [refOf(ObjectType.Host, host), { type: ObjectType.Cluster, id: host.clusterId }],
      correlationId,
    });
  }

  /**
   * One fence call, audited before, at each step and after. A proven power-off releases the host's VMs
   * (HA ones restart elsewhere) and only then does the agent give the host its power back: the
   * restarts are placed while the host is still off, never on the host they come from.
   */
  private async fence(host: HostEntity, d: FenceDecision, callEvent: string): Promise<FenceOutcome> {
    const agent = this.agents.find((a) => a.kind === d.agent)!;
    const correlationId = randomUUID();
    const refs = [refOf(ObjectType.Host, host), { type: ObjectType.Cluster, id: host.clusterId }];
    const record = (type: string, severity: EventSeverity, message: string) =>
      this.events.record({ severity, type, message, refs, correlationId }).then(() => undefined);
    const step = (detail: string) =>
      record(FENCE_STEP_EVENT, EventSeverity.Info, `fencing host ${host.name}: ${detail}`);
    await record(
      callEvent,
      EventSeverity.Warning,
      `fencing host ${host.name} through ${agent.kind}: ${d.reason}`,
    );
    const outcome = await agent
      .fence(host, AbortSignal.timeout(FENCE_TIMEOUT_MS), step)
      .catch((err: Error) => ({ ok: false, hostIsOff: false, detail: err.message }));
    await record(
      'host.fence_result',
      outcome.ok ? EventSeverity.Warning : EventSeverity.Error,
      `fencing host ${host.name} through ${agent.kind} ${outcome.ok ? 'succeeded' : 'failed'}: ${outcome.detail}`,
    );
    if (!outcome.hostIsOff) {
      if (!agent.soft) {
        this.hardFailed.set(host.id, Date.now());
        await this.declareDeadIfExpired(host);
      }
      return outcome;
    }
    this.provenOff.add(host.id);
    // Waited for (create, then run to its end): the host stays off until its VMs were placed elsewhere.
    await this.releaseVms(host, `host ${host.name} was fenced through ${agent.kind}`, correlationId);
    if (agent.restore)
      await agent
        .restore(host, AbortSignal.timeout(FENCE_TIMEOUT_MS), step)
        .catch((err: Error) =>
          record(
            FENCE_STEP_EVENT,
            EventSeverity.Error,
            `fencing host ${host.name}: power on failed: ${err.message}`,
          ),
        );
    return outcome;
  }
}

/** Waiting for a soft-fenced host to answer before anything harder. */
function softGrace(host: HostEntity, graceMs: number): FenceDecision {
  return {
    action: 'hold',
    rule: 'soft-fenced',
    reason: `its agent was restarted over SSH; waiting up to ${Math.round(graceMs / 1000)} s for host ${host.name} to answer before hard fencing`,
  };
}
