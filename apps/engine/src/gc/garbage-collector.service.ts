import { EventSeverity, GcHostReport, GcReport, ObjectRef, ObjectType } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { CommandBus } from '../agents/command-bus.service';
import { conflict } from '../common/errors/domain-error';
import { startPeriodic } from '../common/periodic';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { REDIS } from '../redis/redis.module';
import { StreamService } from '../stream/stream.service';
import { poolNameFor } from '../vm-operations/vm-spec.builder';
import { isActive } from '../vms/vm-status.mapping';
import { diskIdOf, findOrphans, HostListing, KnownObjects } from './find-orphans';
import { GcHostRow, GcRepository, GcStorageRow } from './gc.repository';

type HostRow = GcHostRow;
type StorageRow = GcStorageRow;

const trim = (p: string) => p.replace(/\/+$/, '') || '/';

/** `work` over `items`, at most `width` at once; results in the items' order. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
/** A run never lasts longer than this; the lock expires by itself if its engine dies. */
const LOCK_TTL_MS = 10 * 60_000;
const HOSTS_AT_ONCE = 4;

/**
 * Removes what Kelpie made on hosts and no longer knows: volumes named like its disks that no disk
 * record and no domain uses, and stopped domains carrying its metadata that no VM record has (a
 * create or delete that died half-way, an answer lost in transit). Every Up host is listed
 * (`gc.list`), compared with the database, and each orphan older than `KELPIE_GC_GRACE_MS` is
 * removed through the ordinary agent commands, one audit event each. One engine runs it at a time
 * (a Redis lock). `GET /gc/orphans` shows what a run would do.
 */
@Injectable()
export class GarbageCollectorService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('GarbageCollector');
  private stop?: () => void;
  /** When a domain without a definition time was first seen orphaned (per engine; a restart re-waits). */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly db: GcRepository,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly bus: CommandBus,
    private readonly events: EventsService,
    private readonly stream: StreamService,
  ) {}

  onModuleInit(): void {
    const every = this.config.gc.intervalMs;
    if (every > 0)
      this.stop = startPeriodic(this.logger, 'garbage collection', every, () => this.runLocked(false));
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** One run under the cluster-wide lock; 409 when another engine (or request) is running one. */
  async run(dryRun: boolean): Promise<GcReport> {
    const report = await this.runLocked(dryRun);
    if (!report) throw conflict('a garbage collection is already running; try again shortly');
    return report;
  }

  private async runLocked(dryRun: boolean): Promise<GcReport | null> {
    const key = `${this.config.redisPrefix}:gc:lock`;
    const token = `${this.stream.engineId}:${Date.now()}`;
    if ((await this.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') return null;
    try {
      return await this.collect(dryRun);
    } finally {
      if ((await this.redis.get(key)) === token) await this.redis.del(key);
    }
  }

  private async collect(dryRun: boolean): Promise<GcReport> {
    const hosts = await this.db.upHosts();
    const listed = await inParallel(hosts, HOSTS_AT_ONCE, (h) => this.list(h));
    // Storage directories are shared by a datacenter's hosts: a file one host's domain uses is in use
    // for all, and where a host could not be listed no file of that datacenter is judged this time.
    const used = new Set(listed.flatMap((l) => l.listing?.diskSources ?? []));
    const unsure = new Set(listed.filter((l) => !l.listing).map((l) => l.host.datacenter_id));
    const claimed = new Set<string>();
    const reports: GcHostReport[] = [];
    for (const { host, sds, listing, error } of listed) {
      const report: GcHostReport = { hostId: host.id, hostName: host.name, volumes: [], domains: [] };
      reports.push(report);
      if (!listing) {
        report.error = error;
        continue;
      }
      // Each file once per run, whichever host lists it first.
      const volumes = unsure.has(host.datacenter_id)
        ? []
        : listing.volumes.filter((v) => !claimed.has(v.path));
      for (const v of volumes) claimed.add(v.path);
      const scoped = { ...listing, volumes, diskSources: [...used] };
      await this.collectHost(host, sds, scoped, report, dryRun);
    }
    return { dryRun, graceSeconds: Math.floor(this.config.gc.graceMs / 1000), hosts: reports };
  }

  private async list(
    host: HostRow,
  ): Promise<{ host: HostRow; sds: StorageRow[]; listing?: HostListing; error?: string }> {
    const sds = await this.db.storageDomainsOf(host.datacenter_id);
    try {
      return {
        host,
        sds,
        listing: await this.bus.send(host.id, 'gc.list', { paths: sds.map((s) => s.path) }),
      };
    } catch (err) {
      return { host, sds, error: (err as Error).message };
    }
  }

  private async collectHost(
    host: HostRow,
    sds: StorageRow[],
    listing: HostListing,
    report: GcHostReport,
    dryRun: boolean,
  ): Promise<void> {
    // Read after the listing: anything recorded meanwhile is known, never taken for an orphan.
    const known = await this.known(host, listing);
    const now = Date.now();
    const orphans = findOrphans(listing, known, {
      now,
      graceMs: this.config.gc.graceMs,
      firstSeen: (uuid) => this.seen(`${host.id}:${uuid}`, now),
    });
    this.forgetAdopted(host.id, new Set(orphans.domains.map((d) => d.uuid)));
    report.domains = orphans.domains;
    report.volumes = orphans.volumes.map(({ dir: _dir, ...v }) => v);
    if (dryRun) return;

    const hostRef = { type: ObjectType.Host, id: host.id, name: host.name };
    // Domains first: a volume only they used is free at the next run.
    for (const d of report.domains.filter((x) => x.due)) {
      try {
        await this.bus.send(host.id, 'vm.undefine', { uuid: d.uuid });
        d.removed = true;
        this.firstSeen.delete(`${host.id}:${d.uuid}`);
        await this.audit(
          'gc.domain_removed',
          d.runsOn
            ? `garbage collector undefined a stale copy of VM ${d.name} (${d.uuid}) on host ${host.name}: the VM runs on ${d.runsOn}; its disks were kept`
            : `garbage collector undefined orphan domain ${d.name} (${d.uuid}) on host ${host.name}: no VM has it, stopped for ${d.ageSeconds} s`,
          hostRef,
          ...(d.runsOn ? [{ type: ObjectType.Vm, id: d.uuid, name: d.name }] : []),
        );
      } catch (err) {
        d.error = (err as Error).message;
      }
    }
    for (const [i, v] of orphans.volumes.entries()) {
      const sd = sds.find((s) => trim(s.path) === trim(v.dir));
      if (!v.due || !sd) continue;
      const out = report.volumes[i];
      try {
        const { pool } = await this.bus.send(host.id, 'storage.ensure-pool', {
          name: poolNameFor(sd),
          path: sd.path,
        });
        await this.bus.send(host.id, 'volume.delete', { pool, name: v.name });
        out.removed = true;
        await this.audit(
          'gc.volume_removed',
          `garbage collector deleted orphan volume ${v.path} on host ${host.name} (${v.sizeBytes} bytes, unchanged for ${v.ageSeconds} s): no disk has it`,
          hostRef,
          { type: ObjectType.StorageDomain, id: sd.id },
        );
      } catch (err) {
        out.error = (err as Error).message;
      }
    }
    const removed =
      report.volumes.filter((v) => v.removed).length + report.domains.filter((d) => d.removed).length;
    if (removed) this.logger.log(`removed ${removed} orphan(s) on host ${host.name}`);
  }

  private async known(host: HostRow, listing: HostListing): Promise<KnownObjects> {
    const ids = listing.volumes.map(diskIdOf).filter((x): x is string => x !== null);
    const paths = listing.volumes.map((v) => v.path);
    const disks = await this.db.knownDisks(ids, paths);
    const vms = await this.db.knownVms(listing.domains.map((d) => d.uuid));
    return {
      diskIds: new Set(disks.map((d) => d.id)),
      diskPaths: new Set(
        disks.flatMap((d) => [d.volume_path, d.active_image_path]).filter((p): p is string => !!p),
      ),
      vmIds: new Set(vms.map((v) => v.id)),
      runningElsewhere: new Map(
        vms
          .filter((v) => v.host_id && v.host_id !== host.id && isActive(v.status))
          .map((v) => [v.id, v.host_name ?? v.host_id!]),
      ),
    };
  }

  private seen(key: string, now: number): number {
    const at = this.firstSeen.get(key) ?? now;
    this.firstSeen.set(key, at);
    return at;
  }

  /** A domain no longer orphaned (adopted, or gone) starts its wait afresh if it ever is again. */
  private forgetAdopted(hostId: string, orphaned: Set<string>): void {
    for (const key of this.firstSeen.keys()) {
      const [h, uuid] = key.split(':');
      if (h === hostId && !orphaned.has(uuid)) this.firstSeen.delete(key);
    }
  }

  private async audit(type: string, message: string, ...refs: ObjectRef[]) {
    await this.events.record({ severity: EventSeverity.Warning, type, message, refs });
  }
}
