import { ObjectType, StreamMessage } from '@kelpie/shared-types';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { HostFacts, HostRepository } from '../hosts/host.repository';
import { StreamService } from '../stream/stream.service';

/** A safety net only: every change of a host is also announced on the stream, which drops the entry. */
const MAX_AGE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The reporting host's name, cluster and status, read once and then kept: every report needs them
 * and they rarely change. Any stream message about a host (status, update, deletion; published by
 * whichever engine changed it) drops its entry, so the next report reads it again.
 */
@Injectable()
export class HostFactsCache implements OnModuleDestroy {
  private readonly cache = new Map<string, { facts: HostFacts; at: number }>();
  private readonly subscription: Subscription;

  constructor(
    private readonly hosts: HostRepository,
    stream: StreamService,
  ) {
    this.subscription = stream.messages.subscribe((m) => this.onMessage(m));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  /** The host's facts, or undefined when it does not exist. */
  async get(hostId: string): Promise<HostFacts | undefined> {
    if (!UUID.test(hostId)) return undefined;
    const hit = this.cache.get(hostId);
    if (hit && Date.now() - hit.at < MAX_AGE_MS) return hit.facts;
    const facts = await this.hosts.factsOf(hostId);
    if (facts) this.cache.set(hostId, { facts, at: Date.now() });
    else this.cache.delete(hostId);
    return facts;
  }

  /** For changes made here that must count before their stream message arrives. */
  forget(hostId: string): void {
    this.cache.delete(hostId);
  }

  private onMessage(m: StreamMessage): void {
    if (!('object' in m) || m.object.type !== ObjectType.Host) return;
    this.cache.delete(m.object.id);
  }
}
