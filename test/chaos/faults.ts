import { virsh } from '@kelpie/lab';
import { startTestEngine } from '../support/engine';
import type { TestPlatform } from '../support/platform';
import type { TestDatabase } from '../support/services';
import { listHost } from './libvirt-view';
import type { Endpoint } from './operations';
import type { Prng } from './prng';
import { ChaosWorld, sleep } from './world';

export interface FaultEvent {
  kind: string;
  host?: string;
  at: string;
  /** When the fault was over (daemon back, engine closed). */
  endedAt: string;
  detail: string;
}

/** A fault the soak can inject; `available` false leaves it out of the menu (e.g. private services
 * missing). `inject` resolves once the fault is over and returns what it did, or undefined when it
 * had nothing to act on. */
export interface Fault {
  kind: string;
  weight: number;
  available: boolean;
  inject(): Promise<{ host?: string; detail: string } | undefined>;
}

interface FaultDeps {
  p: TestPlatform;
  /** The engines' database (the platform's, or a private Postgres). */
  database: TestDatabase;
  world: ChaosWorld;
  rng: Prng;
  endpoints: Endpoint[];
  log: (line: string) => void;
}

/** The faults available on every lab: agents, libvirtd, guests killed behind Kelpie's back, a second
 * engine on the same database and Redis prefix coming and going. */
export function labFaults({ p, database, world, rng, endpoints, log }: FaultDeps): Fault[] {
  const host = () => rng.pick(world.hosts);
  return [
    {
      kind: 'agent_sigkill',
      weight: 3,
      available: true,
      inject: async () => {
        const h = host();
        await p.lab.killAgent(h.name);
        const downMs = rng.int(1000, 6000);
        await sleep(downMs);
        await p.startAgent(h.name);
        return { host: h.name, detail: `agent SIGKILLed, restarted after ${downMs} ms` };
      },
    },
    {
      kind: 'libvirtd_restart',
      weight: 2,
      available: true,
      inject: async () => {
        const h = host();
        await p.lab.restartLibvirtd(h.name);
        return { host: h.name, detail: 'libvirtd killed and started again' };
      },
    },
    {
      kind: 'virsh_destroy',
      weight: 2,
      available: true,
      inject: async () => {
        const running: { host: string; uri: string; uuid: string }[] = [];
        for (const h of world.hosts)
          for (const uuid of (await listHost(h.uri))?.running ?? [])
            running.push({ host: h.name, uri: h.uri, uuid });
        if (!running.length) return undefined;
        const victim = rng.pick(running);
        const r = await virsh(victim.uri, ['destroy', victim.uuid]);
        return { host: victim.host, detail: `virsh destroy ${victim.uuid} → exit ${r.code}` };
      },
    },
    {
      kind: 'second_engine',
      weight: 2,
      available: true,
      inject: async () => {
        const engine = await startTestEngine(
          // The first engine's Redis too (a soak may run on a private one).
          { KELPIE_LOG_LEVEL: 'error', KELPIE_REDIS_URL: p.engine.config.redisUrl },
          { db: database, redisPrefix: p.engine.config.redisPrefix },
        );
        const endpoint: Endpoint = { name: 'engine2', api: engine.api, closing: false };
        endpoints.push(endpoint);
        const liveMs = rng.int(4000, 12000);
        log(`engine2 up at ${engine.baseUrl}, serving requests for ${liveMs} ms`);
        await sleep(liveMs);
        endpoint.closing = true;
        await engine.close();
        endpoints.splice(endpoints.indexOf(endpoint), 1);
        return { detail: `second engine served ${liveMs} ms, then closed (tasks it ran are orphaned)` };
      },
    },
  ];
}

/** Injects faults from a menu and records each one. */
export class FaultInjector {
  readonly events: FaultEvent[] = [];
  readonly byKind: Record<string, number> = {};
  lastFaultEnd = 0;

  constructor(
    private readonly menu: Fault[],
    private readonly rng: Prng,
    private readonly log: (line: string) => void,
  ) {}

  get kinds(): string[] {
    return this.menu.filter((f) => f.available).map((f) => f.kind);
  }

  get unavailable(): string[] {
    return this.menu.filter((f) => !f.available).map((f) => f.kind);
  }

  /** Whether `time` (ISO) falls in a fault of this kind (under way or recorded), give or take slackMs. */
  during(kind: string, time: string, slackMs = 3000): boolean {
    const t = Date.parse(time);
    const windows = this.events.filter((e) => e.kind === kind).map((e) => [e.at, e.endedAt]);
    if (this.underWay?.kind === kind) windows.push([this.underWay.at, new Date().toISOString()]);
    return windows.some(([a, b]) => t >= Date.parse(a) - slackMs && t <= Date.parse(b) + slackMs);
  }

  private underWay?: { kind: string; at: string };

  async injectOne(): Promise<void> {
    const fault = this.rng.weighted(this.menu.filter((f) => f.available).map((f) => [f, f.weight] as const));
    const at = new Date().toISOString();
    this.underWay = { kind: fault.kind, at };
    this.log(`fault ${fault.kind} …`);
    try {
      const done = await fault.inject();
      this.underWay = undefined;
      if (!done) {
        this.log(`fault ${fault.kind}: nothing to act on, skipped`);
        return;
      }
      this.record({
        kind: fault.kind,
        host: done.host,
        at,
        endedAt: new Date().toISOString(),
        detail: done.detail,
      });
    } catch (err) {
      // A fault that could not be injected is recorded as such; it still disturbed the platform.
      this.underWay = undefined;
      this.record({
        kind: fault.kind,
        at,
        endedAt: new Date().toISOString(),
        detail: `injection error: ${String(err)}`,
      });
    }
  }

  private record(e: FaultEvent): void {
    this.events.push(e);
    this.byKind[e.kind] = (this.byKind[e.kind] ?? 0) + 1;
    this.lastFaultEnd = Date.now();
    this.log(`fault ${e.kind}${e.host ? ` on ${e.host}` : ''}: ${e.detail}`);
  }
}

/** Private services and an engine process a soak may fault; each is optional (absent: its fault is
 * left out of the menu, and the soak says so). */
export interface ServiceHooks {
  redis?: { restart(downMs: number): Promise<void> };
  postgres?: { restart(downMs: number): Promise<void> };
  /** A separate engine process on the same database, Redis and prefix. */
  startEngineProcess?: () => Promise<{ api: Endpoint['api']; kill(): Promise<void> }>;
}

/** Redis and Postgres restarted under the running platform, an engine process SIGKILLed mid-work. */
export function serviceFaults(
  hooks: ServiceHooks,
  rng: Prng,
  endpoints: Endpoint[],
  log: (l: string) => void,
): Fault[] {
  return [
    {
      kind: 'redis_restart',
      weight: 2,
      available: !!hooks.redis,
      inject: async () => {
        const downMs = rng.int(300, 3000);
        await hooks.redis!.restart(downMs);
        return { detail: `private Redis stopped (SIGTERM) and started again after ${downMs} ms` };
      },
    },
    {
      kind: 'postgres_restart',
      weight: 2,
      available: !!hooks.postgres,
      inject: async () => {
        const downMs = rng.int(300, 3000);
        await hooks.postgres!.restart(downMs);
        return { detail: `private Postgres stopped (fast shutdown) and started again after ${downMs} ms` };
      },
    },
    {
      kind: 'engine_sigkill',
      weight: 2,
      available: !!hooks.startEngineProcess,
      inject: async () => {
        const engine = await hooks.startEngineProcess!();
        const endpoint: Endpoint = { name: 'engine-process', api: engine.api, closing: false };
        endpoints.push(endpoint);
        const liveMs = rng.int(4000, 12000);
        log(`engine process up, serving requests for ${liveMs} ms before its SIGKILL`);
        await sleep(liveMs);
        endpoint.closing = true;
        await engine.kill();
        endpoints.splice(endpoints.indexOf(endpoint), 1);
        return { detail: `engine process served ${liveMs} ms, then SIGKILLed (its tasks must be adopted)` };
      },
    },
  ];
}
