import { ErrorCode, NetworkSetupOutcome } from '@kelpie/shared-types';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '../agents/command-bus.service';
import { DomainError } from '../common/errors/domain-error';
import { HostNetworkStateService } from '../host-network-state/host-network-state.service';
import { HostEntity } from '../hosts/host.entity';
import { HostsService } from '../hosts/hosts.service';
import { checkpointHost, TaskCheckpoint, TaskUnknowable } from '../tasks/task-adoption';
import { TaskContext, TasksService } from '../tasks/tasks.service';
import { NETWORK_SETUP_TASK, setupResult } from './network-setup-outcome';

/** Agent errors that say nothing about what became of the setup: the host's report decides. */
const UNSURE = new Set(['outcome_unknown', 'command_lost', 'timeout', 'connection_lost']);
/** How long after the setup's own connectivity timeout the host has to report its outcome. */
const REPORT_GRACE_MS = 120_000;

/**
 * Adopts `host.network_setup` of a dead engine. The setup is never sent again (re-applying could
 * cut the host off a second time): the agent decides by itself, keeping the change only if an engine
 * confirms it still reaches the host. The adopter does what the dead engine would have: it confirms
 * the checkpoint (the confirmation travels the new paths, so it only succeeds if the host reaches
 * the engine after the change; `confirmed: false` while it is not applied yet or already rolled
 * back), and ends the task by what the host tells — the stored result of the setup job, or the
 * outcome it reports (`lastSetup`): applied → succeeded, rolled back / failed → failed with the
 * host's reason. A host that reports nothing within the setup's timeout (+ 2 min) → interrupted.
 */
@Injectable()
export class NetworkSetupAdoption implements OnModuleInit {
  /** Between two looks at the host's report (tests: 0). */
  pollMs = 1000;
  graceMs = REPORT_GRACE_MS;

  constructor(
    private readonly tasks: TasksService,
    private readonly hosts: HostsService,
    private readonly state: HostNetworkStateService,
    private readonly bus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.tasks.registerAdopter(NETWORK_SETUP_TASK, (ctx, cp) => this.adopt(ctx, cp));
  }

  async adopt(ctx: TaskContext, cp: TaskCheckpoint): Promise<Record<string, unknown>> {
    const checkpoint = cp.checkpoint as string;
    const host = await checkpointHost(
      this.hosts,
      cp,
      `the host of this network setup is gone since the engine running it stopped`,
    );
    const networks = Array.isArray(cp.networks) ? (cp.networks as string[]) : [];
    const waitMs = ((cp.timeoutMs as number | undefined) ?? 60_000) + this.graceMs;
    await ctx
      .progress(50, `engine stopped; asking ${host.name} what became of the network setup`)
      .catch(() => undefined);
    let done = false;
    try {
      const outcome = await Promise.race([
        this.fromJob(host, checkpoint, waitMs),
        this.fromHost(ctx, host, checkpoint, waitMs, () => done),
      ]);
      return setupResult(host, outcome, networks);
    } finally {
      done = true;
    }
  }

  /** The setup job's stored result (or the agent's refusal); never settles when it says nothing. */
  private async fromJob(host: HostEntity, checkpoint: string, waitMs: number): Promise<NetworkSetupOutcome> {
    const out = await this.bus
      .attach(host.id, 'host.network.setup', `netsetup-${checkpoint}`, waitMs)
      .catch(() => ({ state: 'missing' as const }));
    if (out.state === 'completed') return out.result;
    if (out.state === 'failed' && !UNSURE.has(out.error.code))
      throw new DomainError(
        ErrorCode.Unprocessable,
        `network setup of ${host.name} failed: ${out.error.message}`,
      );
    return new Promise<never>(() => undefined);
  }

  /** Confirms the setup when the host awaits it, until the host reports this setup's outcome. */
  private async fromHost(
    ctx: TaskContext,
    host: HostEntity,
    checkpoint: string,
    waitMs: number,
    stopped: () => boolean,
  ): Promise<NetworkSetupOutcome> {
    const deadline = Date.now() + waitMs;
    let confirmed = false;
    do {
      const last = await this.state.lastSetup(host.id);
      if (last?.checkpoint === checkpoint) return last;
      if (!confirmed) confirmed = await this.confirm(ctx, host, checkpoint);
      await new Promise((r) => setTimeout(r, this.pollMs));
    } while (Date.now() < deadline && !stopped());
    if (stopped()) return new Promise<never>(() => undefined);
    throw new TaskUnknowable(
      `the engine running the network setup of ${host.name} stopped and the host has not reported what became of it ` +
        `(applied, rolled back, or never received): check the host's networks on its console, then apply the setup again if needed`,
    );
  }

  private async confirm(ctx: TaskContext, host: HostEntity, checkpoint: string): Promise<boolean> {
    try {
      const { confirmed } = await this.bus.send(host.id, 'host.network.confirm', { checkpoint });
      if (confirmed)
        await ctx.progress(80, `${host.name} reached after the change: keeping it`).catch(() => undefined);
      return confirmed;
    } catch {
      return false; // not reachable (yet): the agent rolls back by itself if it stays so
    }
  }
}
