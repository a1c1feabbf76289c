import type { AgentReport, DomainSnapshot } from '@kelpie/shared-types';
import { pino } from 'pino';
import type { DomainEventStreamHandlers, LibvirtClient } from '../libvirt/operations';
import { parseEventLine } from '../libvirt/operations';
import { VirshError } from '../libvirt/process';
import type { Reporter } from '../reports/reporter';
import { InventorySync } from './inventory-sync';

const U1 = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const U2 = '00000000-0000-0000-0000-000000000001';
const snap = (uuid: string, name: string, state: DomainSnapshot['state']): DomainSnapshot => ({
  uuid,
  name,
  state,
  persistent: true,
  managed: false,
  vcpus: 1,
  memoryKiB: 65536,
  maxMemoryKiB: 65536,
});

/** A fake libvirt: a table of domains; snapshot() by uuid or name. */
function fakeLibvirt(domains: Map<string, DomainSnapshot>) {
  const find = (ref: string) => [...domains.values()].find((d) => d.uuid === ref || d.name === ref);
  return {
    listDomains: async () => [...domains.values()].map((d) => ({ uuid: d.uuid, name: d.name })),
    snapshot: async (ref: string) => {
      const d = find(ref);
      if (!d) throw new VirshError('domain_not_found', `failed to get domain '${ref}'`);
      return { ...d };
    },
  } as unknown as LibvirtClient;
}

function setup() {
  const domains = new Map([[U1, snap(U1, 'ext1', 'running')]]);
  const reports: AgentReport[] = [];
  const reporter = { tryReport: async (r: AgentReport) => (reports.push(r), r) } as unknown as Reporter;
  const streams: DomainEventStreamHandlers[] = [];
  const order: string[] = [];
  const inv = new InventorySync(
    fakeLibvirt(domains),
    reporter,
    {
      reconcileIntervalMs: 60_000,
      reconnectMaxMs: 100,
      subscribeGraceMs: 0,
      streamFactory: (h) => {
        streams.push(h);
        return { start: () => void order.push('stream'), stop: async () => undefined };
      },
    },
    pino({ level: 'silent' }),
  );
  const origList = (inv as unknown as { libvirt: LibvirtClient }).libvirt.listDomains;
  (inv as unknown as { libvirt: LibvirtClient }).libvirt.listDomains = async () => {
    order.push('list');
    return origList();
  };
  return { domains, reports, streams, order, inv };
}

const until = async (fn: () => boolean) => {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(fn()).toBe(true);
};

describe('InventorySync', () => {
  it('subscribes to events BEFORE listing, then sends the inventory', async () => {
    const { inv, order, reports } = setup();
    const before = Date.now();
    await inv.start();
    expect(order).toEqual(['stream', 'list']);
    // Stamped with when the listing began: the engine orders it against domain events by that time.
    const listedAt = Date.parse((reports[0] as { listedAt: string }).listedAt);
    expect(listedAt).toBeGreaterThanOrEqual(before);
    expect(listedAt).toBeLessThanOrEqual(Date.now());
    expect(reports).toEqual([
      expect.objectContaining({ kind: 'inventory', domains: [snap(U1, 'ext1', 'running')] }),
    ]);
    expect(inv.connected).toBe(true);
    await inv.stop();
  });

  it('an event re-reads that domain; a vanished domain is reported with its cached uuid and null', async () => {
    const { inv, streams, reports, domains } = setup();
    await inv.start();
    domains.set(U1, snap(U1, 'ext1', 'shutoff'));
    streams[0]!.onEvent(
      parseEventLine("2026-11-25 10:00:00.123+0000: event 'lifecycle' for domain 'ext1': Stopped Destroyed")!,
    );
    await until(() => reports.some((r) => r.kind === 'domain-changed'));
    expect(reports.at(-1)).toMatchObject({
      kind: 'domain-changed',
      uuid: U1,
      event: 'lifecycle',
      detail: 'Stopped Destroyed',
      observedAt: '2026-11-25T10:00:00.123Z',
      domain: { state: 'shutoff' },
    });
    domains.delete(U1);
    streams[0]!.onEvent(parseEventLine("event 'lifecycle' for domain 'ext1': Undefined Removed")!);
    await until(() => reports.filter((r) => r.kind === 'domain-changed').length === 2);
    expect(reports.at(-1)).toMatchObject({ kind: 'domain-changed', uuid: U1, domain: null });
    await inv.stop();
  });

  it('migration bookkeeping events reach listeners but cost no re-read and no report', async () => {
    const { inv, streams, reports } = setup();
    await inv.start();
    const seen: string[] = [];
    const off = inv.onDomainEvent((e) => seen.push(e.event));
    expect(inv.nameOf(U1.toUpperCase())).toBe('ext1');
    streams[0]!.onEvent(parseEventLine("event 'migration-iteration' for domain 'ext1': iteration: '2'")!);
    streams[0]!.onEvent({ event: 'job-completed', domain: 'ext1', params: { downtime: '5' } });
    streams[0]!.onEvent(parseEventLine("event 'lifecycle' for domain 'ext1': Suspended Migrated")!);
    await until(() => reports.some((r) => r.kind === 'domain-changed'));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['migration-iteration', 'job-completed', 'lifecycle']);
    expect(reports.filter((r) => r.kind === 'domain-changed')).toEqual([
      expect.objectContaining({ event: 'lifecycle', detail: 'Suspended Migrated' }),
    ]);
    off();
    streams[0]!.onEvent(parseEventLine("event 'reboot' for domain 'ext1'")!);
    expect(seen).toHaveLength(3);
    await inv.stop();
  });

  it('when the stream ends it reconnects (stream first) and relists', async () => {
    const { inv, streams, reports, domains, order } = setup();
    await inv.start();
    domains.set(U2, snap(U2, 'new', 'running'));
    streams[0]!.onEnd(new VirshError('connection_lost', 'client socket is closed'), '');
    expect(inv.connected).toBe(false);
    await until(() => reports.filter((r) => r.kind === 'inventory').length === 2);
    expect(order).toEqual(['stream', 'list', 'stream', 'list']);
    const last = reports.at(-1) as Extract<AgentReport, { kind: 'inventory' }>;
    expect(last.domains.map((d) => d.uuid).sort()).toEqual([U2, U1].sort());
    expect(inv.stats.reconnects).toBe(1);
    expect(inv.connected).toBe(true);
    await inv.stop();
  });
});
