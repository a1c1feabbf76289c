import { rm, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { CommandResult, DomainMigrationInfo, MigrationJobSample } from '@kelpie/shared-types';
import { asArray, attr, node, parseXml, text } from '../../libvirt/mapping';
import type { LibvirtClient } from '../../libvirt/operations';
import {
  precreateIncrementalTargets,
  removeCreatedVolumes,
  type CreatedVolume,
} from '../../libvirt/operations/incremental-targets';
import {
  MigrationOperations,
  sampleFromJobCompleted,
  toSample,
  type DomainJobInfo,
} from '../../libvirt/operations/migration';
import type { VirshEvent } from '../../libvirt/mapping/parsers';
import { VirshError, VirshRunner, type VirshCaller } from '../../libvirt/process';
import type { DomainEventTap } from '../../inventory/inventory-sync';
import { AgentError } from '../../errors/agent-error';
import { QEMU_TLS_DIR } from '../../host/tls-certificates';
import { nvramPathFor } from '../../libvirt/xml/domain-builder';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;
const mib = (b: number | undefined) => (b === undefined ? '?' : (b / MiB).toFixed(1));
/** Data remaining must drop by this much below its lowest value to count as progress. */
const PROGRESS_EPSILON_BYTES = 256 * 1024;
const IFACE_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;
/** QEMU/GnuTLS words of a failed TLS setup (missing or unreadable files, rejected certificate). */
const TLS_FAILURE = /credentials|certificate|x509|tls|handshake/i;
const TLS_HINT =
  " (the migration is encrypted: both hosts need their engine-issued TLS certificate in /etc/pki/qemu; re-enroll the host whose files are missing or rejected (POST /hosts/{id}/enroll), or turn the cluster's migrationEncrypted off)";

export type MigrationPhase = 'starting' | 'precopy' | 'postcopy' | 'completing';
/** At least one progress message per this period, samples or not. */
const TICK_MS = 1000;
/** How long after virsh migrate returned the job-completed event may still be on its way. */
const JOB_COMPLETED_GRACE_MS = 300;

interface RunState {
  phase: MigrationPhase;
  postcopyUsed: boolean;
  /** Final statistics from libvirt's job-completed event. */
  completed: MigrationJobSample | undefined;
  onCompleted?: () => void;
  /** The domain's name as events give it. */
  domainName?: string;
  lastSent: { at: number; percent: number };
}

/** Read through a function: event handlers change the phase while the loop awaits virsh. */
const switchingOver = (run: RunState) => run.phase === 'completing';

/** What the migration is doing while there is no job sample to show. */
export function phaseMessage(phase: MigrationPhase, elapsedMs: number): string {
  const t = `${(elapsedMs / 1000).toFixed(1)} s`;
  switch (phase) {
    case 'starting':
      return `starting: the target prepares to receive the VM (${t})`;
    case 'completing':
      return `completing: the VM is paused for the switch-over and the target takes over (${t})`;
    default:
      return `${phase} (${t})`;
  }
}

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
 * policy (postcopy or abort), aborts requested by the engine, final statistics from the host's event
 * stream. */
export class MigrationHandlers {
  private readonly ops: MigrationOperations;
  /** uuid → why the engine asked to abort (so the failing migrate says "cancelled", not "error"). */
  private readonly abortRequests = new Map<string, string>();
  /** Domains with a migration running from here. */
  private readonly running = new Set<string>();

  constructor(
    private readonly libvirt: LibvirtClient,
    private readonly events: DomainEventTap,
    /** The job queries' virsh: the agent's connected sessions, so that starting a migration spawns no
     * process but `virsh migrate` itself (tests give a fake). */
    private readonly poll: VirshCaller = libvirt.reads,
    /** Where the engine-issued TLS files are (an encrypted migration needs them on both hosts). */
    private readonly pkiDir = '/etc/pki',
  ) {
    this.ops = new MigrationOperations(libvirt.virsh);
  }

  @OnCommand('vm.migrate')
  async migrate(p: ParsedPayload<'vm.migrate'>, ctx: CommandContext): Promise<CommandResult<'vm.migrate'>> {
    const uuid = p.uuid.toLowerCase();
    const o = p.options;
    // No domstate first: the engine checked the state a moment ago, and virsh migrate refuses a
    // domain that stopped meanwhile ("domain is not running").
    if (this.running.has(uuid))
      throw new AgentError('operation_invalid', 'a migration of this domain is already running');
    this.running.add(uuid);
    this.abortRequests.delete(uuid);
    const started = Date.now();
    const run: RunState = {
      phase: 'starting',
      postcopyUsed: false,
      completed: undefined,
      lastSent: { at: Date.now(), percent: 0 },
    };
    let samples = 0;
    let last: DomainJobInfo | undefined;
    let postcopyRequested = false;
    let stallReason: string | null = null;
    let lowest = Number.POSITIVE_INFINITY;
    let lastProgressAt = Date.now();
    let finished = false;
    let failure: unknown;
    const target = new VirshRunner({ uri: p.destinationUri, binary: this.libvirt.virsh.binary });
    let precreated: CreatedVolume[] = [];
    if (o.storage === 'copy-incremental') {
      await ctx.progress(0, 'creating the disk images on the target for the incremental copy', {
        phase: run.phase,
      });
      try {
        precreated = await precreateIncrementalTargets(this.libvirt.virsh, target, uuid);
      } catch (e) {
        this.running.delete(uuid);
        throw e;
      }
    }
    const send = async (percent: number, message: string, data: Record<string, unknown> = {}) => {
      run.lastSent = { at: Date.now(), percent };
      await ctx.progress(percent, message, { phase: run.phase, ...data });
    };
    // The host's event stream (run by the inventory) tells when the guest pauses for the switch-over,
    // when postcopy starts (a short postcopy phase is easily missed by polling) and, with the job's
    // final statistics, when libvirt is done: no extra virsh process for any of it.
    const stopListening = this.events.onDomainEvent((ev) => {
      const before = run.phase;
      this.onDomainEvent(uuid, ev, run);
      if (run.phase === 'completing' && before !== 'completing' && !finished)
        void send(run.lastSent.percent, phaseMessage(run.phase, Date.now() - started)).catch(() => undefined);
    });
    ctx.log.info({ destination: p.destinationUri, options: o }, 'migration starting');
    // Queued before the job starts (so it is the first message), but not waited for.
    const announced = send(0, 'starting migration').catch(() => undefined);
    const migration = this.ops.migrate(uuid, p.destinationUri, o).then(
      () => void (finished = true),
      (e: unknown) => {
        finished = true;
        failure = e;
      },
    );
    // Alongside the job, not in its way: applies whether libvirt's job has begun or not.
    const downtimeSet = this.ops
      .setMaxDowntime(uuid, o.maxDowntimeMs, { session: this.poll })
      .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not set the max downtime'));
    // Between samples (destination QEMU starting, switch-over) the task still hears from us each second.
    // The command's time is up (the dispatcher's timeout): abort libvirt's job, so the VM stays here
    // and running instead of a migration going on that nobody waits for.
    const onAbort = () => {
      stallReason ??= 'the command timed out: migration aborted';
      void this.ops.abort(uuid).catch((e: Error) => ctx.log.warn({ err: e.message }, 'abort failed'));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(() => {
      if (finished || Date.now() - run.lastSent.at < TICK_MS) return;
      void send(run.lastSent.percent, phaseMessage(run.phase, Date.now() - started)).catch(() => undefined);
    }, TICK_MS / 4);
    try {
      let nextTick = Date.now() + o.progressIntervalMs;
      while (!finished) {
        // Fixed rate: slow virsh calls do not stretch the period between samples.
        await Promise.race([migration, sleep(Math.max(50, nextTick - Date.now()))]);
        nextTick = Math.max(nextTick + o.progressIntervalMs, Date.now() + 100);
        if (finished) break;
        // Switching over: nothing left to steer, and the target needs the CPU more than we need samples.
        if (switchingOver(run)) continue;
        let info: DomainJobInfo;
        try {
          info = await this.ops.jobInfo(uuid, { session: this.poll });
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
        if (run.phase === 'starting') run.phase = 'precopy';
        if (run.postcopyUsed) run.phase = 'postcopy';
        const remaining = info.dataRemaining ?? Number.POSITIVE_INFINITY;
        if (remaining < lowest - PROGRESS_EPSILON_BYTES || (remaining < lowest && remaining === 0)) {
          lowest = remaining;
          lastProgressAt = Date.now();
        }
        if (o.postcopy === 'immediate' && run.phase === 'precopy' && !postcopyRequested) {
          // "Immediate" means now, not after a first precopy pass that may already converge.
          postcopyRequested = true;
          await this.ops
            .startPostcopy(uuid)
            .then(() => (run.phase = 'postcopy'))
            .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not switch to postcopy'));
        }
        const sample = toSample(info);
        if (!switchingOver(run))
          await send(migrationPercent(sample), progressMessage(run.phase, sample), sample);

        if (stallReason === null && Date.now() - lastProgressAt > o.abortOnNoProgressSeconds * 1000) {
          if (o.postcopy === 'on-stall' && run.phase !== 'postcopy') {
            ctx.log.info({ remaining }, 'migration stalled: switching to postcopy');
            try {
              await this.ops.startPostcopy(uuid);
              run.phase = 'postcopy';
              run.postcopyUsed = true;
              lastProgressAt = Date.now();
            } catch (e) {
              stallReason = `migration made no progress for ${o.abortOnNoProgressSeconds} s and switching to postcopy failed (${(e as Error).message}): aborted`;
            }
          } else if (run.phase !== 'postcopy') {
            stallReason =
              `migration made no progress for ${o.abortOnNoProgressSeconds} s ` +
              `(${mib(info.dataRemaining)} MiB still to send at ${mib(info.memoryBandwidth)} MiB/s while the guest dirties ` +
              `${mib(info.dirtyRate)} MiB/s): aborted; allow postcopy or auto-converge, or raise the bandwidth`;
          }
        }
        if (stallReason === null && Date.now() - started > o.maxTotalSeconds * 1000) {
          stallReason = `migration did not finish within ${o.maxTotalSeconds} s: aborted`;
        }
        if (stallReason !== null && run.phase !== 'postcopy') {
          ctx.log.warn({ reason: stallReason }, 'aborting migration');
          await this.ops.abort(uuid).catch((e: Error) => ctx.log.warn({ err: e.message }, 'abort failed'));
          await migration;
          break;
        }
      }
      await migration;
      clearInterval(ticker);
      await Promise.all([downtimeSet, announced]);
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
          `migration to ${p.destinationUri} failed: ${msg}${o.tls && TLS_FAILURE.test(msg) ? TLS_HINT : ''}`,
        );
      }
      run.phase = 'completing';
      const stats = (await this.finalStats(uuid, p.destinationUri, run, ctx)) ?? {
        ...(last ? toSample(last) : { elapsedMs: Date.now() - started }),
        dataRemaining: 0,
      };
      stats.totalMs ??= Date.now() - started;
      if ((stats.postcopyRequests ?? 0) > 0) run.postcopyUsed = true;
      await removeStaleNvram(uuid, ctx);
      ctx.log.info({ stats, samples }, 'migration completed');
      return { stats, postcopyUsed: run.postcopyUsed, samples, durationMs: Date.now() - started };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      clearInterval(ticker);
      stopListening();
      this.running.delete(uuid);
      this.abortRequests.delete(uuid);
    }
  }

  private onDomainEvent(uuid: string, ev: VirshEvent, run: RunState): void {
    if (ev.domain !== this.events.nameOf(uuid) && ev.domain !== run.domainName) return;
    run.domainName = ev.domain; // the source undefines it at the end: keep the name for job-completed
    if (ev.event === 'lifecycle') {
      if (/post-?copy/i.test(ev.detail ?? '')) {
        run.postcopyUsed = true;
        run.phase = 'postcopy';
      } else if (ev.lifecycle?.type === 'Suspended' && ev.lifecycle.reason === 'Migrated') {
        if (run.phase !== 'postcopy') run.phase = 'completing';
      }
    } else if (ev.event === 'job-completed' && ev.params) {
      run.completed = sampleFromJobCompleted(ev.params);
      run.onCompleted?.();
    }
  }

  /** The job's final statistics: libvirt's job-completed event (sent just before virsh migrate
   * returns), else `domjobinfo --completed` on the destination (the source undefined the domain). */
  private async finalStats(
    uuid: string,
    destinationUri: string,
    run: RunState,
    ctx: CommandContext,
  ): Promise<MigrationJobSample | undefined> {
    if (!run.completed)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, JOB_COMPLETED_GRACE_MS);
        run.onCompleted = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    if (run.completed) return run.completed;
    try {
      const done = await this.ops.jobInfo(uuid, { completed: true, uri: destinationUri });
      if (done.jobType === 'Completed') return toSample(done);
    } catch (e) {
      ctx.log.debug({ err: (e as Error).message }, 'completed job info from the destination failed');
    }
    return undefined;
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
    // The event stream keeps the state current; one virsh process fewer in front of every migration.
    const cached = this.events.stateOf(p.uuid);
    const [state, xml] = await Promise.all([
      cached ?? this.libvirt.domstate(p.uuid).then((s) => s.state),
      this.libvirt.dumpxml(p.uuid),
    ]);
    return domainMigrationInfo(xml, state);
  }

  @OnCommand('host.migration-target-check')
  async targetCheck(
    p: ParsedPayload<'host.migration-target-check'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'host.migration-target-check'>> {
    const problems: string[] = [];
    if (p.tls) problems.push(...(await this.tlsProblems()));
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

  /** An encrypted migration needs this host's engine-issued certificate where QEMU reads it. */
  private async tlsProblems(): Promise<string[]> {
    const dir = join(this.pkiDir, QEMU_TLS_DIR);
    const missing: string[] = [];
    for (const f of ['ca-cert.pem', 'server-cert.pem', 'server-key.pem'])
      if (!(await exists(join(dir, f)))) missing.push(f);
    return missing.length
      ? [
          `TLS certificate missing for encrypted migration (${missing.join(', ')} not in ${dir}): re-enroll the host (POST /hosts/{id}/enroll) to issue it, or turn the cluster's migrationEncrypted off`,
        ]
      : [];
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
      mac: attr(i.mac, 'address')?.toLowerCase() ?? null,
    })),
    memoryKiB: Math.round(Number(text(doc.memory) ?? 0) * factor),
  };
}

/** libvirt's --undefinesource leaves a UEFI VM's NVRAM file behind; its content went with the pflash
 * device's state, so once the VM runs on the destination this copy is stale. Kelpie names the file by
 * the VM's id (nothing to read before the migration); other domains' files are left alone. */
async function removeStaleNvram(uuid: string, ctx: CommandContext): Promise<void> {
  const path = nvramPathFor(uuid);
  await rm(path, { force: true }).catch((e: Error) =>
    ctx.log.warn({ err: e.message, path }, "could not remove the migrated VM's NVRAM file"),
  );
}
