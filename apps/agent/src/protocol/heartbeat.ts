import { freemem, totalmem } from 'node:os';
import { PROTOCOL_VERSION } from '@kelpie/shared-types';
import type { Logger } from '../logger';
import type { Reporter } from '../reports/reporter';

export interface HeartbeatOptions {
  intervalMs: number;
  agentVersion: string;
  bootId: string;
  /** Cached libvirt connection state (no virsh call on the heartbeat path). */
  libvirtConnected: () => boolean;
  /** The host's 1-minute load average (host/load-average.ts). */
  load1: () => Promise<number>;
}

/** Heartbeats from their own timer: nothing here waits on commands, virsh or the report queue's
 * backlog; a slow Redis write only skips a beat (never stacks them). */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  sent = 0;

  constructor(
    private readonly reporter: Reporter,
    private readonly opts: HeartbeatOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.opts.intervalMs);
  }

  async beat(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const load1 = await this.opts.load1();
      await this.reporter.heartbeat({
        protocolVersion: PROTOCOL_VERSION,
        agentVersion: this.opts.agentVersion,
        bootId: this.opts.bootId,
        libvirtConnected: this.opts.libvirtConnected(),
        load: {
          load1,
          memFreeKiB: Math.floor(freemem() / 1024),
          memTotalKiB: Math.floor(totalmem() / 1024),
        },
      });
      this.sent++;
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'heartbeat not sent');
    } finally {
      this.inFlight = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
