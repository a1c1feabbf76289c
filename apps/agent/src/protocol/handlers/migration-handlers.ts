import { stat } from 'node:fs/promises';
import { dirname, relative, isAbsolute } from 'node:path';
import type { CommandResult, DomainMigrationInfo, MigrationJobSample } from '@kelpie/shared-types';
import { asArray, attr, node, parseXml, text } from '../../libvirt/mapping';
import type { LibvirtClient } from '../../libvirt/operations';
import {
  precreateIncrementalTargets,
  removeCreatedVolumes,
  type CreatedVolume,
} from '../../libvirt/operations/incremental-targets';
import { MigrationOperations, toSample, type DomainJobInfo } from '../../libvirt/operations/migration';
import { VirshError, VirshLineStream, VirshRunner } from '../../libvirt/process';
import { AgentError } from '../agent-error';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;
const mib = (b: number | undefined) => (b === undefined ? '?' : (b / MiB).toFixed(1));
/** Data remaining must drop by this much below its lowest value to count as progress. */
const PROGRESS_EPSILON_BYTES = 256 * 1024;
const IFACE_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;

export type MigrationPhase = 'starting' | 'precopy' | 'postcopy' | 'completing';

/** Percent of the migration done: data (memory + disks) processed over the total. */
export function migrationPercent(s: MigrationJobSample): number {
  const total = s.dataTotal ?? 0;
  if (total <= 0) return 0;
  const remaining = s.dataRemaining ?? total;
  return Math.max(0, Math.min(99, Math.floor(((total - remaining) / total) * 100)));
}

export function progressMessage(phase: MigrationPhase, s: MigrationJobSample): string {
  const parts = [`${phase}`];
  if (s.iteration !== undefined) parts.push(`iteration ${s.iteration}`);
  parts.push(`${mib(s.dataRemaining)} MiB remaining of ${mib(s.dataTotal)} MiB`);
  if (s.memoryBandwidth !== undefined) parts.push(`${mib(s.memoryBandwidth)} MiB/s`);
  if (s.dirtyRate !== undefined) parts.push(`dirtying ${mib(s.dirtyRate)} MiB/s`);
  if (s.throttlePercent) parts.push(`CPU throttled ${s.throttlePercent}%`);
  return parts.join(', ');
}

/** Source-side live migration: `virsh migrate --p2p`, domjobinfo polling for progress, the stall
 * policy (postcopy or abort), aborts requested by the engine, final statistics. */
export class MigrationHandlers {
  private readonly ops: MigrationOperations;
  /** uuid → why the engine asked to abort (so the failing migrate says "cancelled", not "error"). */
  private readonly abortRequests = new Map<string, string>();
  /** Domains with a migration running from here. */
  private readonly running = new Set<string>();

  constructor(private readonly libvirt: LibvirtClient) {
    this.ops = new MigrationOperations(libvirt.virsh);
  }

  @OnCommand('vm.migrate')
  async migrate(p: ParsedPayload<'vm.migrate'>, ctx: CommandContext): Promise<CommandResult<'vm.migrate'>> {
    const uuid = p.uuid.toLowerCase();
    const o = p.options;
    const state = await this.libvirt.domstate(uuid);
    if (state.state !== 'running')
      throw new AgentError(
        'operation_invalid',
        `domain is ${state.state}, not running: cannot live-migrate it`,
      );
    if (this.running.has(uuid))
      throw new AgentError('operation_invalid', 'a migration of this domain is already running');
    this.running.add(uuid);
    this.abortRequests.delete(uuid);
    const started = Date.now();
    let phase: MigrationPhase = 'starting';
    let samples = 0;
    let last: DomainJobInfo | undefined;
    let downtimeSet = false;
    let postcopyUsed = false;
    let postcopyRequested = false;
    let stallReason: string | null = null;
    let lowest = Number.POSITIVE_INFINITY;
    let lastProgressAt = Date.now();
    let finished = false;
    let failure: unknown;
    const target = new VirshRunner({ uri: p.destinationUri, binary: this.libvirt.virsh.binary });
    let precreated: CreatedVolume[] = [];
    if (o.storage === 'copy-incremental') {
      await ctx.progress(0, 'creating the disk images on the target for the incremental copy', { phase });
      try {
        precreated = await precreateIncrementalTargets(this.libvirt.virsh, target, uuid);
      } catch (e) {
        this.running.delete(uuid);
        throw e;
      }
    }

    // libvirt announces the switch with a lifecycle event ("Suspended Post-copy" on the source); a
    // short postcopy phase is easily missed by polling, the event is not.
    const events =
      o.postcopy === 'off'
        ? null
        : new VirshLineStream(
            this.libvirt.virsh,
            ['event', '--domain', uuid, '--event', 'lifecycle', '--loop'],
            {
              onLine: (line) => {
                if (/post-?copy/i.test(line)) postcopyUsed = true;
              },
              onEnd: () => undefined,
            },
          );
    events?.start();
    ctx.log.info({ destination: p.destinationUri, options: o }, 'migration starting');
    await ctx.progress(0, 'starting migration', { phase });
    const migration = this.ops.migrate(uuid, p.destinationUri, o).then(
      () => void (finished = true),
      (e: unknown) => {
        finished = true;
        failure = e;
      },
    );
    try {
      let nextTick = Date.now() + o.progressIntervalMs;
      while (!finished) {
        // Fixed rate: slow virsh calls do not stretch the period between samples.
        await Promise.race([migration, sleep(Math.max(50, nextTick - Date.now()))]);
        nextTick = Math.max(nextTick + o.progressIntervalMs, Date.now() + 100);
        if (finished) break;
        let info: DomainJobInfo;
        try {
          info = await this.ops.jobInfo(uuid);
        } catch (e) {
          // The domain may be gone from here a moment before virsh migrate returns.
          if (finished) break;
          ctx.log.debug({ err: (e as Error).message }, 'domjobinfo failed');
          continue;
        }
        if (info.jobType === 'None' || info.jobType === 'Completed') continue;
        if (this.abortRequests.has(uuid) && samples === 0) {
          // The engine asked to cancel before the job was visible: abort it now.
          await this.ops.abort(uuid).catch((e: Error) => ctx.log.warn({ err: e.message }, 'abort failed'));
        }
        last = info;
        samples++;
        if (!downtimeSet) {
          downtimeSet = true;
          await this.ops
            .setMaxDowntime(uuid, o.maxDowntimeMs)
            .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not set the max downtime'));
        }
        if (phase === 'starting') phase = 'precopy';
        if (postcopyUsed) phase = 'postcopy';
        const remaining = info.dataRemaining ?? Number.POSITIVE_INFINITY;
        if (remaining < lowest - PROGRESS_EPSILON_BYTES || (remaining < lowest && remaining === 0)) {
          lowest = remaining;
          lastProgressAt = Date.now();
        }
        if (o.postcopy === 'immediate' && phase === 'precopy' && !postcopyRequested) {
          // "Immediate" means now, not after a first precopy pass that may already converge.
          postcopyRequested = true;
          await this.ops
            .startPostcopy(uuid)
            .then(() => (phase = 'postcopy'))
            .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not switch to postcopy'));
        }
        const sample = toSample(info);
        await ctx.progress(migrationPercent(sample), progressMessage(phase, sample), { phase, ...sample });

        if (stallReason === null && Date.now() - lastProgressAt > o.abortOnNoProgressSeconds * 1000) {
          if (o.postcopy === 'on-stall' && phase !== 'postcopy') {
            ctx.log.info({ remaining }, 'migration stalled: switching to postcopy');
            try {
              await this.ops.startPostcopy(uuid);
              phase = 'postcopy';
              postcopyUsed = true;
              lastProgressAt = Date.now();
            } catch (e) {
              stallReason = `migration made no progress for ${o.abortOnNoProgressSeconds} s and switching to postcopy failed (${(e as Error).message}): aborted`;
            }
          } else if (phase !== 'postcopy') {
            stallReason =
              `migration made no progress for ${o.abortOnNoProgressSeconds} s ` +
              `(${mib(info.dataRemaining)} MiB still to send at ${mib(info.memoryBandwidth)} MiB/s while the guest dirties ` +
              `${mib(info.dirtyRate)} MiB/s): aborted; allow postcopy or auto-converge, or raise the bandwidth`;
          }
        }
        if (stallReason === null && Date.now() - started > o.maxTotalSeconds * 1000) {
          stallReason = `migration did not finish within ${o.maxTotalSeconds} s: aborted`;
        }
        if (stallReason !== null && phase !== 'postcopy') {
          ctx.log.warn({ reason: stallReason }, 'aborting migration');
          await this.ops.abort(uuid).catch((e: Error) => ctx.log.warn({ err: e.message }, 'abort failed'));
          await migration;
          break;
        }
      }
      await migration;
      if (failure !== undefined) {
        // The target's copies of the disks are useless once the VM stays here.
        await removeCreatedVolumes(target, precreated);
        const cancelled = this.abortRequests.get(uuid);
        const msg = failure instanceof Error ? failure.message : String(failure);
        if (cancelled !== undefined)
          throw new AgentError('operation_invalid', `migration cancelled: ${cancelled}`, { cancelled: true });
        if (stallReason !== null) throw new AgentError('timeout', stallReason, { stalled: true });
        const code = failure instanceof VirshError ? failure.code : 'libvirt_error';
        throw new AgentError(
          code === 'domain_not_found' ? 'libvirt_error' : code,
          `migration to ${p.destinationUri} failed: ${msg}`,
        );
      }
      phase = 'completing';
      // The source undefines the domain on success: the final statistics come from the destination.
      let stats: MigrationJobSample | undefined;
      try {
        const done = await this.ops.jobInfo(uuid, { completed: true, uri: p.destinationUri });
        if (done.jobType === 'Completed') stats = toSample(done);
      } catch (e) {
        ctx.log.debug({ err: (e as Error).message }, 'completed job info from the destination failed');
      }
      stats ??= { ...(last ? toSample(last) : { elapsedMs: Date.now() - started }), dataRemaining: 0 };
      stats.totalMs ??= Date.now() - started;
      if ((stats.postcopyRequests ?? 0) > 0) postcopyUsed = true;
      ctx.log.info({ stats, samples }, 'migration completed');
      return { stats, postcopyUsed, samples, durationMs: Date.now() - started };
    } finally {
      await events?.stop().catch(() => undefined);
      this.running.delete(uuid);
      this.abortRequests.delete(uuid);
    }
  }

  @OnCommand('vm.migrate-abort')
  async abort(
    p: ParsedPayload<'vm.migrate-abort'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.migrate-abort'>> {
    const uuid = p.uuid.toLowerCase();
    this.abortRequests.set(uuid, p.reason ?? 'requested by the engine');
    const aborted = await this.ops.abort(uuid);
    if (!aborted && !this.running.has(uuid)) this.abortRequests.delete(uuid);
    ctx.log.info({ aborted }, 'migration abort requested');
    return { aborted };
  }

  @OnCommand('vm.migration-info')
  async info(
    p: ParsedPayload<'vm.migration-info'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.migration-info'>> {
    const [state, xml] = await Promise.all([this.libvirt.domstate(p.uuid), this.libvirt.dumpxml(p.uuid)]);
    return domainMigrationInfo(xml, state.state);
  }

  @OnCommand('host.migration-target-check')
  async targetCheck(
    p: ParsedPayload<'host.migration-target-check'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'host.migration-target-check'>> {
    const problems: string[] = [];
    const poolDirs = p.storage === 'shared' ? [] : await this.poolTargets();
    for (const path of p.paths) {
      if (!isAbsolute(path)) continue;
      if (p.storage === 'shared') {
        if (!(await exists(path)))
          problems.push(`disk ${path} is not visible on this host (storage not shared?)`);
      } else {
        const dir = dirname(path);
        const inPool = poolDirs.some((d) => {
          const rel = relative(d, dir);
          return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
        });
        if (!inPool) problems.push(`no storage pool on this host contains ${dir} (needed to copy ${path})`);
      }
    }
    for (const bridge of p.bridges) {
      if (!IFACE_NAME.test(bridge) || !(await exists(`/sys/class/net/${bridge}`)))
        problems.push(`bridge ${bridge} does not exist on this host`);
    }
    if (p.networks.length) {
      const nets = await this.libvirt.netList();
      for (const n of p.networks) {
        const row = nets.find((r) => r['Name'] === n);
        if (!row) problems.push(`libvirt network ${n} does not exist on this host`);
        else if (row['State'] !== 'active') problems.push(`libvirt network ${n} is not active on this host`);
      }
    }
    return { problems };
  }

  private async poolTargets(): Promise<string[]> {
    const names = (await this.libvirt.virsh.run(['pool-list', '--all', '--name'])).stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const out: string[] = [];
    for (const name of names) {
      try {
        const xml = (await this.libvirt.virsh.run(['pool-dumpxml', '--pool', name])).stdout;
        const path = text(node(node(parseXml(xml).pool)?.target)?.path);
        if (path) out.push(path);
      } catch {
        /* a pool that vanished meanwhile */
      }
    }
    return out;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Domain XML → what a migration pre-check needs. */
export function domainMigrationInfo(xml: string, state: string): DomainMigrationInfo {
  const doc = node(parseXml(xml).domain);
  if (!doc) throw new AgentError('internal', 'not a libvirt domain XML document');
  const devices = node(doc.devices) ?? {};
  const memory = node(doc.memory);
  const unit = (attr(memory, 'unit') ?? 'KiB').toLowerCase();
  const factor =
    unit === 'mib' ? 1024 : unit === 'gib' ? 1024 * 1024 : unit === 'b' || unit === 'bytes' ? 1 / 1024 : 1;
  return {
    uuid: (text(doc.uuid) ?? '').toLowerCase(),
    state,
    hostdevs: asArray(devices.hostdev).length,
    disks: asArray(devices.disk).map((d) => {
      const src = node(d.source);
      return {
        target: attr(d.target, 'dev') ?? '',
        device: attr(d, 'device') ?? 'disk',
        type: attr(d, 'type') ?? 'file',
        path: src ? (attr(src, 'file') ?? attr(src, 'dev') ?? attr(src, 'name') ?? null) : null,
        cache: attr(d.driver, 'cache') ?? null,
        readonly: d.readonly !== undefined,
        shareable: d.shareable !== undefined,
      };
    }),
    interfaces: asArray(devices.interface).map((i) => ({
      type: attr(i, 'type') ?? '',
      bridge: attr(i.source, 'bridge') ?? null,
      network: attr(i.source, 'network') ?? null,
    })),
    memoryKiB: Math.round(Number(text(doc.memory) ?? 0) * factor),
  };
}
