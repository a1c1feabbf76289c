import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KELPIE_VM_XMLNS } from '@kelpie/shared-types';
import { parseDomstateReason, parseKeyValueLines, parseNodeinfo, parseVersion } from './parsers';
import { parseCapabilitiesXml, toHostCapabilities } from './capabilities';
import { toDomainSnapshot } from './domain-snapshot';
import { parseDomainXml } from './domain-xml';

const fx = (f: string) => readFileSync(join(__dirname, '..', '__fixtures__', f), 'utf8');

describe('domain XML mapping', () => {
  it('external running domain: vncPort from live XML, managed=false', () => {
    const x = parseDomainXml(fx('dumpxml-ext-running.xml'));
    expect(x).toMatchObject({
      name: 'ext1',
      uuid: '6de778cd-c9ea-461b-8d51-d36ff64f6303',
      type: 'qemu',
      managed: false,
      vncPort: 5900,
      vcpus: 1,
    });
    expect(x.maxMemoryKiB).toBe(65536);
  });

  it('inactive XML has no VNC port', () => {
    expect(parseDomainXml(fx('dumpxml-ext-inactive.xml')).vncPort).toBeUndefined();
  });

  it('Kelpie metadata element → managed=true with its attributes', () => {
    const x = parseDomainXml(fx('dumpxml-managed-running.xml'));
    expect(x.managed).toBe(true);
    expect(x.kelpie).toEqual({ id: '11111111-2222-4333-8444-555555555555' });
    expect(x.disks).toEqual([{ device: 'disk', target: 'vda', source: '/tmp/ka-sbx/d1.qcow2' }]);
    expect(x.interfaces[0]).toMatchObject({ type: 'user' });
  });

  it('recognises the namespace under any prefix, and only that namespace', () => {
    const mk = (meta: string) =>
      `<domain type='qemu'><name>a</name><uuid>6de778cd-c9ea-461b-8d51-d36ff64f6303</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu><metadata>${meta}</metadata></domain>`;
    expect(parseDomainXml(mk(`<k:vm xmlns:k="${KELPIE_VM_XMLNS}"/>`)).managed).toBe(true);
    expect(parseDomainXml(mk(`<vm xmlns="${KELPIE_VM_XMLNS}"/>`)).managed).toBe(true);
    expect(parseDomainXml(mk(`<kelpie:vm xmlns:kelpie="https://example.com/other"/>`)).managed).toBe(false);
    expect(
      parseDomainXml(mk(`<other:x xmlns:other="https://o"/><k:vm xmlns:k="${KELPIE_VM_XMLNS}" id="1"/>`))
        .kelpie,
    ).toEqual({ id: '1' });
  });

  it('dominfo + domstate + XML → DomainSnapshot', () => {
    const snap = toDomainSnapshot({
      dominfo: parseKeyValueLines(fx('dominfo-running.txt')),
      state: parseDomstateReason(fx('domstate-reason-running.txt')),
      xml: parseDomainXml(fx('dumpxml-ext-running.xml')),
    });
    expect(snap).toEqual({
      uuid: '6de778cd-c9ea-461b-8d51-d36ff64f6303',
      name: 'ext1',
      state: 'running',
      reason: 'booted',
      persistent: true,
      managed: false,
      vcpus: 1,
      memoryKiB: 65536,
      maxMemoryKiB: 65536,
      vncPort: 5900,
    });
  });

  it('without dominfo the live XML gives the same snapshot, persistence from the caller', () => {
    const xml = parseDomainXml(fx('dumpxml-ext-running.xml'));
    const state = parseDomstateReason(fx('domstate-reason-running.txt'));
    const full = toDomainSnapshot({ dominfo: parseKeyValueLines(fx('dominfo-running.txt')), state, xml });
    expect(toDomainSnapshot({ persistent: true, state, xml })).toEqual(full);
    expect(toDomainSnapshot({ persistent: false, state, xml })).toEqual({ ...full, persistent: false });
  });

  it('vCPUs: <vcpu current> is what dominfo reports as CPU(s)', () => {
    const mk = (vcpu: string) =>
      parseDomainXml(
        `<domain type='qemu'><name>a</name><uuid>6de778cd-c9ea-461b-8d51-d36ff64f6303</uuid><memory unit='MiB'>64</memory>${vcpu}</domain>`,
      );
    expect(mk(`<vcpu current='2'>4</vcpu>`)).toMatchObject({ vcpus: 4, currentVcpus: 2 });
    expect(mk(`<vcpu placement='static'>3</vcpu>`)).toMatchObject({ vcpus: 3, currentVcpus: 3 });
  });
});

describe('capabilities mapping', () => {
  it('virsh capabilities + nodeinfo + version → HostCapabilities', () => {
    const caps = parseCapabilitiesXml(fx('capabilities.xml'));
    expect(caps.guestDomainTypes['x86_64']).toEqual(['qemu', 'kvm']);
    expect(caps.migrationTransports).toEqual(['tcp', 'rdma']);
    const h = toHostCapabilities({
      hostname: 'h1',
      capabilities: caps,
      nodeinfo: parseNodeinfo(fx('nodeinfo.txt')),
      version: parseVersion(fx('version.txt')),
      virtualization: { virtualization: 'tcg', reason: 'probe stalled' },
    });
    expect(h).toMatchObject({
      hostname: 'h1',
      hostUuid: '0802536e-d9cb-487e-813e-1ebde5a4c15e',
      cpu: {
        arch: 'x86_64',
        model: 'kvm64',
        vendor: 'AMD',
        sockets: 1,
        cores: 2,
        threads: 1,
        count: 2,
        mhz: 2596,
      },
      numaCells: [{ id: 0, memoryKiB: 6645964, cpus: [0, 1] }],
      memoryKiB: 6645964,
      libvirtVersion: '9.0.0',
      qemuVersion: '7.2.22',
      virtualization: 'tcg',
      virtualizationReason: 'probe stalled',
    });
    expect(h.cpu.flags).toContain('avx2');
  });
});
