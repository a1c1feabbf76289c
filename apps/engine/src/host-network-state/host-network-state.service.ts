import {
  EventSeverity,
  HostNetworkPresence,
  HostNetworkState,
  HostNetworkView,
  HostStatus,
  NetworkAttachment,
  ObjectType,
  StreamMessage,
} from '@kelpie/shared-types';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subscription } from 'rxjs';
import { Repository } from 'typeorm';
import { EventsService } from '../events/events.service';
import { HostEntity } from '../hosts/host.entity';
import { HostRepository } from '../hosts/host.repository';
import { HostsService } from '../hosts/hosts.service';
import { NetworkRepository } from '../networks/network.repository';
import { StreamService } from '../stream/stream.service';
import { HostNetworkStateEntity } from './host-network-state.entity';

/** Reason prefix of a host made non-operational here: only such a host is brought back to Up here. */
export const MISSING_REQUIRED = 'required network(s) missing';
/** Statuses whose networks are judged: a host away or in maintenance keeps its status. */
const JUDGED: HostStatus[] = [HostStatus.Up, HostStatus.NonOperational];

/**
 * Hosts' networking as their agents report it, and what follows from it: a host of a cluster that
 * lacks a network the cluster requires becomes `non_operational` (no new VMs go there; the running ones
 * stay), back to Up once it carries it; a missing optional network is a warning. Judged again on each
 * report and whenever a cluster's networks change.
 */
@Injectable()
export class HostNetworkStateService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('HostNetworks');
  private subscription?: Subscription;
  /** Host id → the optional networks last warned about (one event per change, not per report). */
  private readonly warned = new Map<string, string>();

  constructor(
    @InjectRepository(HostNetworkStateEntity) private readonly repo: Repository<HostNetworkStateEntity>,
    private readonly hostRecords: HostRepository,
    private readonly networks: NetworkRepository,
    private readonly hosts: HostsService,
    private readonly events: EventsService,
    private readonly stream: StreamService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.stream.messages.subscribe((m) => void this.onStream(m));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async record(hostId: string, state: HostNetworkState): Promise<void> {
    await this.repo.upsert({ hostId, state, reportedAt: new Date() }, ['hostId']);
    await this.evaluate(hostId);
  }

  async view(host: HostEntity): Promise<HostNetworkView> {
    const row = await this.repo.findOneBy({ hostId: host.id });
    const state = row?.state ?? {
      nics: [],
      bridges: [],
      bonds: [],
      attachments: [],
      appliedBonds: [],
      lastSetup: null,
    };
    const presence = await this.presence(host.clusterId, state);
    const byBridge = new Map(
      (await this.networks.ofDatacenterOfCluster(host.clusterId)).map((n) => [n.bridge, n]),
    );
    return {
      hostId: host.id,
      reportedAt: row?.reportedAt.toISOString() ?? null,
      nics: state.nics,
      bridges: state.bridges.map((b) => ({
        ...b,
        networkId: byBridge.get(b.name)?.id ?? null,
        networkName: byBridge.get(b.name)?.name ?? null,
      })),
      // Rows reported before bonds existed have neither list.
      bonds: state.bonds ?? [],
      attachments: state.attachments,
      appliedBonds: state.appliedBonds ?? [],
      lastSetup: state.lastSetup,
      clusterNetworks: presence,
      warnings: warnings(presence),
    };
  }

  /** The outcome of a setup as the host last reported it (a setup whose result could not come back). */
  async lastSetup(hostId: string): Promise<HostNetworkState['lastSetup']> {
    return (await this.repo.findOneBy({ hostId }))?.state.lastSetup ?? null;
  }

  async evaluate(hostId: string): Promise<void> {
    const host = await this.hostRecords.find(hostId);
    const row = await this.repo.findOneBy({ hostId });
    if (!host || !row || !JUDGED.includes(host.status)) return;
    const presence = await this.presence(host.clusterId, row.state);
    const missing = presence.filter((p) => !p.present && p.attachment === NetworkAttachment.Required);
    if (missing.length) {
      const reason = `${MISSING_REQUIRED}: ${missing.map((m) => `${m.name} (bridge ${m.bridge})`).join(', ')}`;
      await this.hosts.setStatus(host.id, HostStatus.NonOperational, reason);
    } else if (host.status === HostStatus.NonOperational && host.statusReason?.startsWith(MISSING_REQUIRED)) {
      await this.hosts.setStatus(host.id, HostStatus.Up, null);
    }
    await this.warnOptional(host, warnings(presence));
  }

  private async presence(clusterId: string, state: HostNetworkState): Promise<HostNetworkPresence[]> {
    const bridges = new Set(state.bridges.map((b) => b.name));
    const rows = await this.networks.attachmentsOf(clusterId);
    return rows
      .filter((r) => r.network)
      .map((r) => ({
        networkId: r.networkId,
        name: r.network!.name,
        bridge: r.network!.bridge,
        attachment: r.attachment,
        present: bridges.has(r.network!.bridge),
      }));
  }

  private async warnOptional(host: HostEntity, list: string[]): Promise<void> {
    const key = list.join('\n');
    if ((this.warned.get(host.id) ?? '') === key) return;
    this.warned.set(host.id, key);
    if (!list.length) return;
    await this.events.record({
      severity: EventSeverity.Warning,
      type: 'host.network_missing',
      message: `host ${host.name}: ${list.join('; ')}`,
      refs: [{ type: ObjectType.Host, id: host.id, name: host.name }],
    });
  }

  /** A cluster's networks changed (attached, detached, required ↔ optional) or a network's bridge did. */
  private async onStream(m: StreamMessage): Promise<void> {
    if (m.type !== 'object.updated' && m.type !== 'object.created') return;
    const o = m.object;
    const clusterChanged =
      o.type === ObjectType.Cluster && m.type === 'object.updated' && m.changes.includes('networks');
    if (!clusterChanged && o.type !== ObjectType.Network) return;
    try {
      const hosts =
        o.type === ObjectType.Cluster
          ? await this.hostRecords.inCluster(o.id)
          : await this.hostRecords.attachedTo(o.id);
      for (const h of hosts) await this.evaluate(h.id);
    } catch (e) {
      this.logger.warn(
        `hosts' networks not judged after a change of ${o.type} ${o.id}: ${(e as Error).message}`,
      );
    }
  }
}

function warnings(presence: HostNetworkPresence[]): string[] {
  return presence
    .filter((p) => !p.present && p.attachment === NetworkAttachment.Optional)
    .map((p) => `optional network ${p.name} is missing (no bridge ${p.bridge})`);
}
