import type { DomainSnapshot } from '@kelpie/shared-types';
import {
  DomainEventStream,
  type DomainEventStreamHandlers,
  type LibvirtClient,
  type VirshEvent,
} from '../libvirt/operations';
import { VirshError } from '../libvirt/process';
import type { Logger } from '../logger';
import type { Reporter } from '../reports/reporter';

export interface InventorySyncOptions {
  reconcileIntervalMs: number;
  /** Cap of the reconnect backoff (starts at 250 ms, doubles). */
  reconnectMaxMs: number;
  /** Pause between starting the event stream and listing, so the stream is subscribed first. */
  subscribeGraceMs?: number;
  /** Parallel virsh calls during a full listing. */
  listConcurrency?: number;
  /** Event stream factory (tests); default: `virsh event --all --loop --timestamp`. */
  streamFactory?: (handlers: DomainEventStreamHandlers) => Pick<DomainEventStream, 'start' | 'stop'>;
}

/** Events that change nothing a DomainSnapshot holds: no re-read, no report (a migration sends one
 * `migration-iteration` per pass; each re-read would cost virsh processes while the job runs). */
const NO_REFRESH_EVENTS = new Set(['migration-iteration', 'job-completed', 'graphics', 'rtc-change']);

export type DomainEventListener = (ev: VirshEvent) => void;

/** What command handlers may read from the event stream the inventory already runs. */
export interface DomainEventTap {
  /** Every event of the host's stream (after the inventory saw it); returns the unsubscribe. */
  onDomainEvent(listener: DomainEventListener): () => void;
  /** The domain's current name (events name domains, commands use UUIDs). */
  nameOf(uuid: string): string | undefined;
  /** Its state as the last event or listing left it. */
  stateOf(uuid: string): DomainSnapshot['state'] | undefined;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Keeps the engine's view of this host's domains current, the way xen-orchestra does it:
 * subscribe to libvirt events FIRST, then list everything; on each event re-read that one domain and
 * send `domain-changed`; when the stream ends (libvirtd restart) reconnect with backoff and relist
 * (`inventory`); and relist every reconcileIntervalMs anyway as a safety net. */
export class InventorySync implements DomainEventTap {
  private readonly domains = new Map<string, DomainSnapshot>();
  private readonly nameToUuid = new Map<string, string>();
  private stream: Pick<DomainEventStream, 'start' | 'stop'> | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs = 250;
  private stopped = true;
  private streamUp = false;
  private lastSyncOk = false;
  private syncing: Promise<number> | null = null;
  /** Per-domain-name chains so one domain's events are handled in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly listeners = new Set<DomainEventListener>();
  /** Counters for diagnostics/tests. */
  readonly stats = { events: 0, domainChanged: 0, inventories: 0, streamEnds: 0, reconnects: 0 };

  constructor(
    private readonly libvirt: LibvirtClient,
    private readonly reporter: Reporter,
    private readonly opts: InventorySyncOptions,
    private readonly log: Logger,
    /** Called after a successful relist that followed a lost event stream (libvirtd restarted). */
    private readonly onReconnected: () => void = () => undefined,
  ) {}

  /** libvirt reachable: the event stream runs and the last listing worked. */
  get connected(): boolean {
    return this.streamUp && this.lastSyncOk;
  }

  snapshot(): DomainSnapshot[] {
    return [...this.domains.values()];
  }

  uuidOfName(name: string): string | undefined {
    return this.nameToUuid.get(name);
  }

  nameOf(uuid: string): string | undefined {
    return this.domains.get(uuid.toLowerCase())?.name;
  }

  stateOf(uuid: string): DomainSnapshot['state'] | undefined {
    return this.domains.get(uuid.toLowerCase())?.state;
  }

  onDomainEvent(listener: DomainEventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    this.reconcileTimer = setInterval(() => {
      void this.fullSync('reconcile').catch(() => undefined);
    }, this.opts.reconcileIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconcileTimer = this.reconnectTimer = null;
    const s = this.stream;
    this.stream = null;
    this.streamUp = false;
    if (s) await s.stop();
    await Promise.allSettled([...this.chains.values(), this.syncing ?? Promise.resolve()]);
  }

  /** Start the event stream, then list everything. */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    const handlers: DomainEventStreamHandlers = {
      onEvent: (ev) => this.onEvent(ev),
      onEnd: (error, stderr) => this.onStreamEnd(stream, error, stderr),
      onOtherLine: (line) => this.log.trace({ line }, 'event stream line'),
    };
    const stream = this.opts.streamFactory?.(handlers) ?? new DomainEventStream(this.libvirt.virsh, handlers);
    this.stream = stream;
    stream.start();
    this.streamUp = true;
    await new Promise((r) => setTimeout(r, this.opts.subscribeGraceMs ?? 200));
    if (this.stream !== stream) return;
    try {
      await this.fullSync('connect');
      this.backoffMs = 250;
      if (this.stats.streamEnds > 0) this.onReconnected();
    } catch {
      // fullSync logged it; the stream most likely ends too and schedules the reconnect.
    }
  }

  private onStreamEnd(
    stream: Pick<DomainEventStream, 'start' | 'stop'>,
    error: VirshError | null,
    stderr: string,
  ): void {
    if (this.stream !== stream) return;
    this.stream = null;
    this.streamUp = false;
    this.stats.streamEnds++;
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnectMaxMs);
    this.log.warn(
      { code: error?.code, err: error?.message ?? stderr.trim(), retryInMs: delay },
      'libvirt event stream ended; reconnecting',
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.stats.reconnects++;
      void this.connect();
    }, delay);
  }

  private onEvent(ev: VirshEvent): void {
    this.stats.events++;
    const observedAt = ev.timestamp ?? new Date().toISOString();
    this.log.debug({ event: ev.event, domain: ev.domain, detail: ev.detail }, 'libvirt event');
    for (const listener of this.listeners) {
      try {
        listener(ev);
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'domain event listener failed');
      }
    }
    if (NO_REFRESH_EVENTS.has(ev.event)) return;
    const prev = this.chains.get(ev.domain) ?? Promise.resolve();
    const next = prev
      .then(() => this.refreshDomain(ev, observedAt))
      .catch((e: Error) => this.log.warn({ err: e.message, domain: ev.domain }, 'domain refresh failed'));
    this.chains.set(ev.domain, next);
    void next.then(() => {
      if (this.chains.get(ev.domain) === next) this.chains.delete(ev.domain);
    });
  }

  /** Re-reads one domain after an event and sends domain-changed (domain null when it is gone). */
  private async refreshDomain(ev: VirshEvent, observedAt: string): Promise<void> {
    let snap: DomainSnapshot | null = null;
    // By UUID when known: a name may be reused or look like an id.
    const known = this.nameToUuid.get(ev.domain);
    try {
      snap = await this.libvirt.snapshot(known ?? ev.domain);
    } catch (e) {
      if (!(e instanceof VirshError && e.code === 'domain_not_found')) throw e;
    }
    if (!snap && known) {
      // The name may now point to another UUID (undefine + define with same name).
      try {
        snap = await this.libvirt.snapshot(ev.domain);
        if (snap.uuid === known) snap = null;
      } catch (e) {
        if (!(e instanceof VirshError && e.code === 'domain_not_found')) throw e;
      }
      if (!snap || snap.uuid !== known) {
        this.domains.delete(known);
        this.nameToUuid.delete(ev.domain);
        await this.sendChanged(known, ev, observedAt, null);
      }
    }
    if (snap) {
      const old = this.domains.get(snap.uuid);
      if (old && old.name !== snap.name) this.nameToUuid.delete(old.name);
      this.domains.set(snap.uuid, snap);
      this.nameToUuid.set(snap.name, snap.uuid);
      await this.sendChanged(snap.uuid, ev, observedAt, snap);
    } else if (!known) {
      this.log.debug({ domain: ev.domain, event: ev.event }, 'event for an unknown domain that is gone');
    }
  }

  private async sendChanged(uuid: string, ev: VirshEvent, observedAt: string, domain: DomainSnapshot | null) {
    const r = await this.reporter.tryReport({
      kind: 'domain-changed',
      uuid,
      event: ev.event,
      ...(ev.detail ? { detail: ev.detail } : {}),
      observedAt,
      domain,
    });
    if (r) this.stats.domainChanged++;
  }

  /** Lists every domain, refreshes the cache and sends an inventory report. Concurrent calls share
   * one run. Returns the number of domains. */
  fullSync(reason: string): Promise<number> {
    this.syncing ??= this.doFullSync(reason).finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async doFullSync(reason: string): Promise<number> {
    const started = Date.now();
    const listedAt = new Date(started).toISOString();
    try {
      const listed = await this.libvirt.listDomains();
      const snaps = await mapLimit(listed, this.opts.listConcurrency ?? 4, async (d) => {
        try {
          return await this.libvirt.snapshot(d.uuid);
        } catch (e) {
          if (e instanceof VirshError && e.code === 'domain_not_found') return null; // vanished meanwhile
          throw e;
        }
      });
      const domains = snaps.filter((s): s is DomainSnapshot => s !== null);
      this.domains.clear();
      this.nameToUuid.clear();
      for (const s of domains) {
        this.domains.set(s.uuid, s);
        this.nameToUuid.set(s.name, s.uuid);
      }
      this.lastSyncOk = true;
      const sent = await this.reporter.tryReport({ kind: 'inventory', listedAt, domains });
      if (sent) this.stats.inventories++;
      this.log.debug({ reason, domains: domains.length, ms: Date.now() - started }, 'inventory synced');
      return domains.length;
    } catch (e) {
      this.lastSyncOk = false;
      this.log.warn({ reason, err: (e as Error).message }, 'inventory sync failed');
      throw e;
    }
  }
}
