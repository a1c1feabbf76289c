import type { MigrationJobSample, MigrationOptions } from '@kelpie/shared-types';
import { VirshError, VirshRunner, type VirshCaller } from '../process';
import { parseKeyValueLines } from '../mapping/parsers';

const UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `12.527 MiB` / `0.000 B` / `5.010 MiB/s` → bytes (per second). */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?i?B)(?:\/s)?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** `2984         ms` / `0            pages/s` / `3` → number. */
function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(-?[0-9]+(?:\.[0-9]+)?)/.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

export interface DomainJobInfo extends MigrationJobSample {
  /** `None`, `Unbounded`, `Bounded`, `Completed`, `Failed`, `Cancelled`. */
  jobType: string;
  /** e.g. `Outgoing migration`, `Incoming migration`. */
  operation?: string;
}

type SampleField = Exclude<keyof MigrationJobSample, 'elapsedMs' | 'totalMs' | 'dirtyRate'>;

/** Each statistic as `virsh domjobinfo` labels it (sizes printed with units) and as libvirt's
 * `job-completed` event names it (plain bytes/ms). Dirty rate is pages/s in both (× page size). */
const JOB_FIELDS: readonly [SampleField, string, string, 'size' | 'number'][] = [
  ['dataProcessed', 'Data processed', 'data_processed', 'size'],
  ['dataRemaining', 'Data remaining', 'data_remaining', 'size'],
  ['dataTotal', 'Data total', 'data_total', 'size'],
  ['memoryProcessed', 'Memory processed', 'memory_processed', 'size'],
  ['memoryRemaining', 'Memory remaining', 'memory_remaining', 'size'],
  ['memoryTotal', 'Memory total', 'memory_total', 'size'],
  ['memoryBandwidth', 'Memory bandwidth', 'memory_bps', 'size'],
  ['iteration', 'Iteration', 'memory_iteration', 'number'],
  ['postcopyRequests', 'Postcopy requests', 'memory_postcopy_requests', 'number'],
  ['throttlePercent', 'Auto converge throttle', 'auto_converge_throttle', 'number'],
  ['downtimeMs', 'Total downtime', 'downtime', 'number'],
  ['fileProcessed', 'File processed', 'disk_processed', 'size'],
  ['fileRemaining', 'File remaining', 'disk_remaining', 'size'],
  ['fileTotal', 'File total', 'disk_total', 'size'],
];

function assign(out: MigrationJobSample, key: keyof MigrationJobSample, v: number | undefined): void {
  if (v !== undefined && !Number.isNaN(v)) out[key] = v;
}

/** `virsh domjobinfo [--completed]` (libvirt 9, LC_ALL=C). Fixture: __fixtures__/domjobinfo-*.txt. */
export function parseDomjobinfo(text: string): DomainJobInfo {
  const kv = parseKeyValueLines(text);
  const out: DomainJobInfo = {
    jobType: kv['Job type'] ?? 'None',
    elapsedMs: parseNumber(kv['Time elapsed']) ?? 0,
  };
  if (kv['Operation'] !== undefined) out.operation = kv['Operation'];
  for (const [key, label, , kind] of JOB_FIELDS)
    assign(out, key, kind === 'size' ? parseSize(kv[label]) : parseNumber(kv[label]));
  const dirtyPages = parseNumber(kv['Dirty rate']);
  if (dirtyPages !== undefined) assign(out, 'dirtyRate', dirtyPages * (parseNumber(kv['Page size']) ?? 4096));
  if (out.jobType === 'Completed') out.totalMs = out.elapsedMs;
  return out;
}

/** The fields of libvirt's `job-completed` event (as `virsh event` prints them: plain integers,
 * bytes and ms) → the job's final statistics. Fixture: __fixtures__/event-job-completed.txt. */
export function sampleFromJobCompleted(params: Record<string, string>): MigrationJobSample {
  const num = (k: string) => {
    const v = params[k]?.trim();
    return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined;
  };
  const elapsed = num('time_elapsed') ?? 0;
  const out: MigrationJobSample = { elapsedMs: elapsed, totalMs: elapsed };
  for (const [key, , param] of JOB_FIELDS) assign(out, key, num(param));
  const dirtyPages = num('memory_dirty_rate');
  if (dirtyPages !== undefined) assign(out, 'dirtyRate', dirtyPages * (num('memory_page_size') ?? 4096));
  return out;
}

/** Only the sample fields (drops jobType/operation). */
export function toSample(info: DomainJobInfo): MigrationJobSample {
  const { jobType: _j, operation: _o, ...sample } = info;
  return sample;
}

/** `virsh migrate` arguments for a live peer-to-peer migration (argument array, never a shell). */
export function migrateArgs(uuid: string, destinationUri: string, o: MigrationOptions): string[] {
  const args = ['migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--abort-on-error'];
  if (o.unsafe) args.push('--unsafe');
  if (o.autoConverge) args.push('--auto-converge');
  if (o.postcopy !== 'off') args.push('--postcopy');
  if (o.postcopy === 'immediate') args.push('--postcopy-after-precopy');
  if (o.compressed) args.push('--compressed');
  if (o.maxBandwidthMiBps !== null) args.push('--bandwidth', String(o.maxBandwidthMiBps));
  if (o.storage === 'copy-all') args.push('--copy-storage-all');
  if (o.storage === 'copy-incremental') args.push('--copy-storage-inc');
  // QEMU's migration stream over TLS (certificates in default_tls_x509_cert_dir, /etc/pki/qemu).
  if (o.tls) args.push('--tls');
  args.push('--domain', uuid, '--desturi', destinationUri);
  return args;
}

/** The virsh calls of a migration (source side). */
export class MigrationOperations {
  constructor(readonly virsh: VirshRunner) {}

  /** Runs `virsh migrate` to completion (resolves) or failure (VirshError). */
  migrate(uuid: string, destinationUri: string, o: MigrationOptions): Promise<void> {
    return this.virsh
      .run(migrateArgs(uuid, destinationUri, o), { timeoutMs: o.maxTotalSeconds * 1000 + 60_000 })
      .then(() => undefined);
  }

  /** `session`: a long-lived virsh for the polling loop (no process per sample). */
  async jobInfo(
    uuid: string,
    opts: { completed?: boolean; uri?: string; session?: VirshCaller } = {},
  ): Promise<DomainJobInfo> {
    const runner =
      opts.session ?? (opts.uri ? new VirshRunner({ uri: opts.uri, binary: this.virsh.binary }) : this.virsh);
    const args = ['domjobinfo', '--domain', uuid];
    if (opts.completed) args.push('--completed');
    return parseDomjobinfo((await runner.run(args, { timeoutMs: 10_000 })).stdout);
  }

  /** `session`: as for jobInfo, an already connected virsh. */
  async setMaxDowntime(uuid: string, ms: number, opts: { session?: VirshCaller } = {}): Promise<void> {
    await (opts.session ?? this.virsh).run(
      ['migrate-setmaxdowntime', '--domain', uuid, '--downtime', String(ms)],
      { timeoutMs: 10_000 },
    );
  }

  /** Switches a running (postcopy-enabled) migration to postcopy. */
  async startPostcopy(uuid: string): Promise<void> {
    await this.virsh.run(['migrate-postcopy', '--domain', uuid], { timeoutMs: 10_000 });
  }

  /** Aborts the domain's job; false when there was none. */
  async abort(uuid: string): Promise<boolean> {
    try {
      await this.virsh.run(['domjobabort', '--domain', uuid], { timeoutMs: 15_000 });
      return true;
    } catch (e) {
      if (e instanceof VirshError && /no job is active|not running|no active job/i.test(e.message))
        return false;
      throw e;
    }
  }
}
