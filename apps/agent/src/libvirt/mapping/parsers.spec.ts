import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseDefinedName,
  parseDomstateReason,
  parseDomstatsRaw,
  parseEventLine,
  parseKeyValueLines,
  parseListUuidName,
  parseNodeinfo,
  parseTable,
  parseVersion,
} from './parsers';

const fx = (f: string) => readFileSync(join(__dirname, '..', '__fixtures__', f), 'utf8');

describe('virsh output parsers (libvirt 9 fixtures)', () => {
  it('parses the event stream', () => {
    const events = fx('event-stream.txt')
      .split('\n')
      .map(parseEventLine)
      .filter((e) => e !== null);
    expect(events).toHaveLength(13);
    expect(events[0]).toEqual({
      timestamp: '2026-11-25T18:22:14.237Z',
      event: 'lifecycle',
      domain: 'ext1',
      detail: 'Suspended Paused',
      lifecycle: { type: 'Suspended', reason: 'Paused' },
    });
    expect(events[2]!.lifecycle).toEqual({ type: 'Shutdown', reason: 'Finished after host request' });
    expect(events[12]).toEqual({ timestamp: '2026-11-25T18:22:18.300Z', event: 'reboot', domain: 'ext1' });
    expect(parseEventLine('events received: 13')).toBeNull();
  });

  it('parses event lines with odd domain names and time zones', () => {
    expect(
      parseEventLine("2026-11-25 10:00:00.123+0100: event 'lifecycle' for domain 'my vm: 2': Started Booted"),
    ).toMatchObject({
      timestamp: '2026-11-25T09:00:00.123Z',
      domain: 'my vm: 2',
      lifecycle: { type: 'Started', reason: 'Booted' },
    });
    expect(parseEventLine("event 'device-removed' for domain 'x': virtio-disk1")).toEqual({
      event: 'device-removed',
      domain: 'x',
      detail: 'virtio-disk1',
    });
  });

  it('parses domstats --raw', () => {
    const s = parseDomstatsRaw(fx('domstats-raw.txt'));
    expect(s.map((d) => d.name)).toEqual(['ext1', 'kvm-managed1']);
    expect(s[0]!.fields['cpu.time']).toBe('531995000');
    expect(s[0]!.fields['balloon.rss']).toBe('47496');
    expect(s[1]!.fields['net.count']).toBe('1');
    expect(s[1]!.fields['block.0.name']).toBe('vda');
  });

  it('parses dominfo, domstate --reason, list, nodeinfo, version, tables', () => {
    const info = parseKeyValueLines(fx('dominfo-running.txt'));
    expect(info).toMatchObject({
      Name: 'ext1',
      UUID: '6de778cd-c9ea-461b-8d51-d36ff64f6303',
      State: 'running',
      Persistent: 'yes',
    });
    expect(parseDomstateReason(fx('domstate-reason-running.txt'))).toEqual({
      state: 'running',
      reason: 'booted',
    });
    expect(parseDomstateReason('shut off (destroyed)\n')).toEqual({ state: 'shutoff', reason: 'destroyed' });
    expect(parseDomstateReason('in shutdown (user)')).toEqual({ state: 'shutdown', reason: 'user' });
    expect(parseDomstateReason('idle')).toEqual({ state: 'blocked' });
    expect(
      parseListUuidName(
        '6de778cd-c9ea-461b-8d51-d36ff64f6303 ext1\n00000000-0000-0000-0000-000000000001 my vm\n\n',
      ),
    ).toEqual([
      { uuid: '6de778cd-c9ea-461b-8d51-d36ff64f6303', name: 'ext1' },
      { uuid: '00000000-0000-0000-0000-000000000001', name: 'my vm' },
    ]);
    expect(parseNodeinfo(fx('nodeinfo.txt'))).toEqual({
      cpuModel: 'x86_64',
      cpus: 2,
      mhz: 2596,
      sockets: 1,
      coresPerSocket: 2,
      threadsPerCore: 1,
      numaCells: 1,
      memoryKiB: 6645964,
    });
    expect(parseVersion(fx('version.txt'))).toEqual({
      library: '9.0.0',
      api: '9.0.0',
      hypervisorType: 'QEMU',
      hypervisor: '7.2.22',
    });
    expect(parseTable(fx('net-list.txt'))).toEqual([
      { name: 'default', state: 'inactive', autostart: 'no', persistent: 'yes' },
    ]);
    expect(parseTable(fx('pool-list.txt'))).toEqual([]);
    expect(parseDefinedName("Domain 'a b' defined from /tmp/x/domain.xml\n\n")).toBe('a b');
  });
});
