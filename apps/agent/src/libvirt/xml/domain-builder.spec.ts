import { VmSpec, type VmSpecInput } from '@kelpie/shared-types';
import { parseDomainXml } from '../mapping/domain-xml';
import { buildDiskXml, buildDomainXml, buildNicXml } from './domain-builder';
import { resizeTcgRamPad } from './tcg-ram-pad';

const UUID = '6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';
const base = (over: Partial<VmSpecInput> = {}) =>
  VmSpec.parse({
    uuid: UUID,
    name: 'web1',
    virtType: 'qemu',
    vcpus: 2,
    memoryMib: 128,
    maxMemoryMib: 256,
    disks: [
      {
        id: '11111111-2222-4333-8444-555555555555',
        path: '/var/lib/kelpie/sd/11111111-2222-4333-8444-555555555555.qcow2',
        format: 'qcow2',
        bus: 'virtio',
        targetDev: 'vda',
        bootOrder: 1,
      },
    ],
    nics: [
      {
        id: '21111111-2222-4333-8444-555555555555',
        mac: '52:54:00:aa:bb:cc',
        bridge: 'br0',
        model: 'virtio',
      },
    ],
    cdrom: { isoPath: null },
    boot: { kind: 'disk' },
    graphicsVnc: true,
    serialLogPath: `/var/log/libvirt/qemu/${UUID}.serial.log`,
    ...over,
  });

describe('buildDomainXml', () => {
  it('builds a TCG domain with Kelpie metadata, uuid, cache none, VNC on all addresses', () => {
    const xml = buildDomainXml(base());
    expect(xml).toContain('<domain type="qemu">');
    // VNC is locked until a console ticket sets a one-time password.
    expect(xml).toMatch(/<graphics [^>]*passwd="[A-Za-z0-9_-]{8}" passwdValidTo="1970-01-01T00:00:01"/);
    expect(xml).toContain('<tb-cache unit="MiB">16</tb-cache>');
    expect(xml).toContain(`<uuid>${UUID}</uuid>`);
    expect(xml).toContain('cache="none"');
    expect(xml).toContain('autoport="yes"');
    expect(xml).toContain('listen="0.0.0.0"');
    expect(xml).toContain('<boot order="1"/>');
    const info = parseDomainXml(xml);
    expect(info.managed).toBe(true);
    expect(info.kelpie).toEqual({ id: UUID });
    expect(info.uuid).toBe(UUID);
    expect(info.maxMemoryKiB).toBe(256 * 1024);
    expect(info.currentMemoryKiB).toBe(128 * 1024);
    expect(info.vcpus).toBe(2);
    expect(info.disks.map((d) => d.target)).toEqual(['vda', 'hdc']);
    expect(info.interfaces).toEqual([
      expect.objectContaining({ type: 'bridge', mac: '52:54:00:aa:bb:cc', source: 'br0' }),
    ]);
  });

  it('carries the cluster CPU model exactly (no fallback), or host-model, and no <cpu> without one', () => {
    expect(buildDomainXml(base())).not.toContain('<cpu');
    const named = buildDomainXml(base({ cpu: { mode: 'custom', model: 'Nehalem' } }));
    expect(named).toContain('<cpu mode="custom" match="exact" check="none">');
    expect(named).toContain('<model fallback="forbid">Nehalem</model>');
    expect(buildDomainXml(base({ cpu: { mode: 'host-model' } }))).toContain('<cpu mode="host-model"');
    expect(() => base({ cpu: { mode: 'custom', model: 'a<b' } })).toThrow();
  });

  it('adds an i6300esb watchdog with its action only when the spec has one; refuses unknown actions', () => {
    expect(buildDomainXml(base())).not.toContain('<watchdog');
    expect(buildDomainXml(base({ watchdog: { model: 'i6300esb', action: 'pause' } }))).toContain(
      '<watchdog model="i6300esb" action="pause"/>',
    );
    expect(() => base({ watchdog: { model: 'i6300esb', action: 'explode' as never } })).toThrow();
  });

  it('uses kvm without the TCG cache cap when the host has KVM', () => {
    const xml = buildDomainXml(base({ virtType: 'kvm' }));
    expect(xml).toContain('<domain type="kvm">');
    expect(xml).not.toContain('tb-cache');
    expect(xml).not.toContain('qemu:commandline');
  });

  it('under TCG pads the RAM backend by 8 KiB past the maximum memory (QEMU 7.2 migration bug)', () => {
    const xml = buildDomainXml(base());
    const args = [...xml.matchAll(/<qemu:arg value="([^"]*)"\/>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
    expect(args).toEqual([
      '-m',
      `${256 * 1024 + 8}k`,
      '-object',
      `{"qom-type":"memory-backend-ram","id":"kelpie-tcg-ram","size":${(256 * 1024 + 8) * 1024}}`,
      '-machine',
      'memory-backend=kelpie-tcg-ram',
    ]);
    // Resized with the maximum memory; libvirt's own XML (single quotes) is understood.
    const libvirtXml = xml.replace(/="([^"]*)"/g, "='$1'");
    const resized = resizeTcgRamPad(libvirtXml, 512)!;
    expect(resized).toContain(`value="${512 * 1024 + 8}k"`);
    expect(resized).toContain(`&quot;size&quot;:${(512 * 1024 + 8) * 1024}}`);
    expect(resized).toContain('<kelpie:vm');
    expect(resizeTcgRamPad(buildDomainXml(base({ virtType: 'kvm' })), 512)).toBeNull();
  });

  it('direct kernel boot and a CD-ROM ISO', () => {
    const xml = buildDomainXml(
      base({
        boot: {
          kind: 'kernel',
          kernel: '/boot/vmlinuz',
          initrd: '/boot/initrd.img',
          cmdline: 'console=ttyS0 ip=10.0.0.5/24',
        },
        cdrom: { isoPath: '/srv/iso/debian.iso' },
        graphicsVnc: false,
      }),
    );
    expect(xml).toContain('<kernel>/boot/vmlinuz</kernel>');
    expect(xml).toContain('<initrd>/boot/initrd.img</initrd>');
    expect(xml).toContain('<cmdline>console=ttyS0 ip=10.0.0.5/24</cmdline>');
    expect(xml).toContain('<source file="/srv/iso/debian.iso"/>');
    expect(xml).not.toContain('<graphics');
    expect(xml).not.toContain('<boot order');
  });

  it('boots from the CD-ROM first when asked', () => {
    const xml = buildDomainXml(base({ boot: { kind: 'cdrom' }, cdrom: { isoPath: '/srv/iso/x.iso' } }));
    const cd = xml.slice(xml.indexOf('device="cdrom"'));
    expect(cd.slice(0, cd.indexOf('</disk>'))).toContain('<boot order="1"/>');
  });

  it("orders the boot devices by the VM's bootOrder; a CD-ROM boot puts the CD-ROM first", () => {
    const orders = (xml: string) => ({
      hd: /<disk type="file" device="disk">[\s\S]*?(?:<boot order="(\d)"\/>[\s\S]*?)?<\/disk>/.exec(xml)?.[1],
      cdrom: /<disk type="file" device="cdrom">[\s\S]*?(?:<boot order="(\d)"\/>[\s\S]*?)?<\/disk>/.exec(
        xml,
      )?.[1],
      network: /<interface[\s\S]*?(?:<boot order="(\d)"\/>[\s\S]*?)?<\/interface>/.exec(xml)?.[1],
    });
    expect(orders(buildDomainXml(base({ bootOrder: ['network', 'cdrom', 'hd'] })))).toEqual({
      network: '1',
      cdrom: '2',
      hd: '3',
    });
    expect(orders(buildDomainXml(base()))).toEqual({ hd: '1', cdrom: undefined, network: undefined });
    expect(orders(buildDomainXml(base({ boot: { kind: 'cdrom' }, bootOrder: ['hd', 'network'] })))).toEqual({
      cdrom: '1',
      hd: '2',
      network: '3',
    });
    // A device the VM lacks is skipped, not numbered.
    expect(orders(buildDomainXml(base({ nics: [], bootOrder: ['network', 'hd'] })))).toEqual({
      hd: '1',
      cdrom: undefined,
      network: undefined,
    });
    expect(() => base({ bootOrder: ['hd', 'hd'] })).toThrow();
    expect(buildDomainXml(base({ boot: { kind: 'kernel', kernel: '/k' }, bootOrder: ['hd'] }))).not.toContain(
      '<boot order',
    );
  });

  it('pc with BIOS by default: IDE CD-ROM, no firmware, no NVRAM', () => {
    const xml = buildDomainXml(base());
    expect(xml).toContain('<type arch="x86_64" machine="pc">hvm</type>');
    expect(xml).toContain('<os>');
    expect(xml).not.toContain('nvram');
    expect(xml).toMatch(/<target dev="hdc" bus="ide"\/>/);
    expect(xml).not.toContain('pcie-root-port');
    expect(xml).toContain('<model type="cirrus"/>');
  });

  it('q35 with UEFI: OVMF by autoselection without Secure Boot, NVRAM by VM id, SATA CD-ROM, root ports', () => {
    const xml = buildDomainXml(base({ machine: 'q35', firmware: { kind: 'uefi' } }));
    expect(xml).toContain('<os firmware="efi">');
    expect(xml).toContain('<type arch="x86_64" machine="q35">hvm</type>');
    expect(xml).toContain('<feature enabled="no" name="secure-boot"/>');
    expect(xml).not.toContain('<loader');
    expect(xml).not.toContain('<smm');
    expect(xml).toContain(`<nvram>/var/lib/libvirt/qemu/nvram/${UUID}_VARS.fd</nvram>`);
    expect(xml).toMatch(
      /<target dev="hdc" bus="sata"\/>[\s\S]*<address type="drive" controller="0" bus="0" target="0" unit="5"\/>/,
    );
    // 1 NIC + 1 virtio disk + balloon/USB/spare-controller + 4 spares to hot-plug into.
    expect(xml).toContain('<controller type="pci" index="0" model="pcie-root"/>');
    expect(xml.match(/<controller type="pci" index="\d+" model="pcie-root-port"\/>/g)).toHaveLength(9);
    expect(xml).toContain('<model type="vga"/>');
    expect(parseDomainXml(xml).disks.map((d) => d.target)).toEqual(['vda', 'hdc']);
  });

  it('Secure Boot: the enrolled-keys build, a secure loader and SMM; refused without q35', () => {
    const xml = buildDomainXml(base({ machine: 'q35', firmware: { kind: 'uefi', secureBoot: true } }));
    expect(xml).toContain('<feature enabled="yes" name="secure-boot"/>');
    expect(xml).toContain('<feature enabled="yes" name="enrolled-keys"/>');
    expect(xml).toContain('<loader secure="yes"/>');
    expect(xml).toContain('<smm state="on"/>');
    expect(() => base({ machine: 'pc', firmware: { kind: 'uefi', secureBoot: true } })).toThrow(
      /Secure Boot needs the q35 machine type/,
    );
  });

  it('refuses specs whose strings could break out of the XML', () => {
    expect(() => base({ name: '<x>' })).toThrow();
    expect(() => base({ serialLogPath: '/tmp/a"b' })).toThrow();
    expect(() => base({ boot: { kind: 'kernel', kernel: '/k', cmdline: 'a<b' } })).toThrow();
    expect(() => base({ boot: { kind: 'kernel', kernel: '/a/../etc/shadow' } })).toThrow();
  });

  const disk0 = {
    id: '11111111-2222-4333-8444-555555555555',
    format: 'raw' as const,
    bus: 'virtio' as const,
    targetDev: 'vda',
    bootOrder: 1,
  };

  it('an RBD disk: a network source with every monitor and the cephx user naming its secret', () => {
    const secretUuid = '6a3e0f7e-3c0b-4a8e-9d51-6c1e5a0f1b2c';
    const xml = buildDomainXml(
      base({
        disks: [
          {
            ...disk0,
            rbd: {
              name: 'vms/11111111-2222-4333-8444-555555555555.img',
              monitors: [{ host: '10.0.0.7', port: 6789 }],
              username: 'kelpie',
              secretUuid,
            },
          },
        ],
      }),
    );
    expect(xml).toContain('<disk type="network" device="disk">');
    expect(xml).toMatch(
      /<source protocol="rbd" name="vms\/11111111-2222-4333-8444-555555555555.img">\s*<host name="10.0.0.7" port="6789"\/>/,
    );
    expect(xml).toMatch(new RegExp(`<auth username="kelpie">\\s*<secret type="ceph" uuid="${secretUuid}"/>`));
  });

  it("a LUN disk: a volume source naming the host's pool and the LUN", () => {
    const xml = buildDomainXml(
      base({ disks: [{ ...disk0, volume: { pool: 'kelpie-x', volume: 'unit:0:0:1' } }] }),
    );
    expect(xml).toContain('<disk type="volume" device="disk">');
    expect(xml).toContain('<source pool="kelpie-x" volume="unit:0:0:1"/>');
  });

  it('a disk names exactly one place for its data', () => {
    expect(() => base({ disks: [{ ...disk0 }] })).toThrow(/exactly one/);
    expect(() =>
      base({ disks: [{ ...disk0, path: '/a/b.img', volume: { pool: 'p', volume: 'unit:0:0:1' } }] }),
    ).toThrow(/exactly one/);
    expect(() => base({ disks: [{ ...disk0, volume: { pool: 'p', volume: 'a"/><x' } }] })).toThrow();
  });

  it('device XML for hot-plug', () => {
    const s = base();
    expect(buildDiskXml(s.disks[0])).toMatch(/^<\?xml[^>]*>\s*<disk type="file" device="disk">/);
    expect(buildNicXml(s.nics[0])).toContain('<source bridge="br0"/>');
  });

  it('an Open vSwitch NIC: virtualport openvswitch, and the VLAN tag when the network has one', () => {
    const nic = base().nics[0]!;
    const tagged = buildNicXml({ ...nic, bridge: 'vmnet10', openvswitch: { vlanId: 10 } });
    expect(tagged).toMatch(
      /<source bridge="vmnet10"\/>\s*<virtualport type="openvswitch"\/>\s*<vlan>\s*<tag id="10"\/>\s*<\/vlan>/,
    );
    const untagged = buildNicXml({ ...nic, openvswitch: { vlanId: null } });
    expect(untagged).toContain('<virtualport type="openvswitch"/>');
    expect(untagged).not.toContain('<vlan>');
    expect(buildNicXml(nic)).not.toContain('virtualport');
    expect(
      buildNicXml({ ...nic, openvswitch: { vlanId: 10 } }, 'e5a1c7d2-0000-4000-8000-000000000001'),
    ).toMatch(
      /<virtualport type="openvswitch">\s*<parameters interfaceid="e5a1c7d2-0000-4000-8000-000000000001"\/>\s*<\/virtualport>/,
    );
  });

  it('marks a port-mirroring OVS NIC with the profileid libvirt writes into OVS (kept with the interface id)', () => {
    const nic = { ...base().nics[0]!, openvswitch: { vlanId: 10, portMirroring: true } };
    expect(buildNicXml(nic)).toContain('<parameters profileid="kelpie-port-mirroring"/>');
    expect(buildNicXml(nic, 'e5a1c7d2-0000-4000-8000-000000000001')).toContain(
      '<parameters interfaceid="e5a1c7d2-0000-4000-8000-000000000001" profileid="kelpie-port-mirroring"/>',
    );
  });

  it('names the tap of a port-mirroring Linux bridge NIC (the mark; none otherwise)', () => {
    const nic = { ...base().nics[0]!, id: 'AB12CD34-5678-4000-8000-000000000001', portMirroring: true };
    expect(buildNicXml(nic)).toContain('<target dev="kmirab12cd34567"/>');
    expect(buildNicXml(base().nics[0]!)).not.toContain('<target');
  });

  it('QoS as <bandwidth> (only the directions and attributes given) and the link state', () => {
    const nic = base().nics[0]!;
    const xml = buildNicXml({
      ...nic,
      bandwidth: { inbound: { average: 1000, peak: 2000, burst: 512 }, outbound: { average: 300 } },
      linkUp: false,
    });
    expect(xml).toMatch(
      /<bandwidth>\s*<inbound average="1000" peak="2000" burst="512"\/>\s*<outbound average="300"\/>\s*<\/bandwidth>/,
    );
    expect(xml).toContain('<link state="down"/>');
    const inOnly = buildNicXml({ ...nic, bandwidth: { inbound: { average: 10 } }, linkUp: true });
    expect(inOnly).not.toContain('outbound');
    expect(inOnly).toContain('<link state="up"/>');
    expect(buildNicXml(nic)).not.toMatch(/bandwidth|<link/);
    expect(() => base({ nics: [{ ...nic, bandwidth: { inbound: { average: 0 } } }] })).toThrow();
  });
});
