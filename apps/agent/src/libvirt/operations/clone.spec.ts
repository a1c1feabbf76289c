import { cloneDomainXml, diskTargets, interfaceMacs } from './clone';
import { parseSnapshotXml } from './snapshots';

const SRC = '11111111-1111-1111-1111-111111111111';
const NEW = '22222222-2222-2222-2222-222222222222';
const XML = `<domain type="qemu">
  <name>src &amp; co</name><uuid>${SRC}</uuid>
  <metadata><kelpie:vm xmlns:kelpie="https://kelpie.dev/xmlns/vm/1" id="${SRC}" other="keep"/></metadata>
  <os><type>hvm</type><nvram template="/usr/share/OVMF/VARS.fd">/var/lib/libvirt/qemu/nvram/src_VARS.fd</nvram></os>
  <devices>
    <disk type="file" device="disk"><driver name="qemu" type="raw"/><source file="/s/a.img"/>
      <backingStore/><target dev="vda" bus="virtio"/></disk>
    <disk type="file" device="cdrom"><source file="/s/x.iso"/><target dev="hdc" bus="ide"/><readonly/></disk>
    <interface type="bridge"><mac address="52:54:00:00:00:01"/><source bridge="br0"/><target dev="vnet3"/></interface>
    <interface type="bridge"><mac address="52:54:00:00:00:02"/><source bridge="br0"/></interface>
    <serial type="pty"><log file="/var/log/libvirt/qemu/${SRC}.serial.log" append="on"/><target port="0"/></serial>
  </devices>
</domain>`;

describe('cloneDomainXml', () => {
  it('replaces identity, disk sources, MACs and NVRAM through the DOM', () => {
    const { xml, macs } = cloneDomainXml(XML, {
      sourceUuid: SRC,
      uuid: NEW,
      name: 'web<2>',
      disks: new Map([['/s/a.img', { path: '/s/b.qcow2', format: 'qcow2' }]]),
      macs: ['52:54:00:aa:bb:cc'],
    });
    expect(xml).toContain('<name>web&lt;2&gt;</name>');
    expect(xml).toContain(`<uuid>${NEW}</uuid>`);
    expect(xml).not.toContain(SRC);
    expect(xml).toContain('other="keep"');
    expect(xml).toMatch(/<source file="\/s\/b.qcow2"\/>/);
    expect(xml).toMatch(/<driver name="qemu" type="qcow2"\/>/);
    expect(xml).not.toContain('backingStore');
    expect(xml).toContain('/s/x.iso'); // CD-ROMs are shared, not copied
    expect(xml).not.toContain('vnet3');
    expect(xml).not.toContain('src_VARS.fd');
    // First NIC gets the given MAC; the second none (libvirt generates one).
    expect(interfaceMacs(xml)).toEqual(['52:54:00:aa:bb:cc', '']);
    expect(macs).toEqual(['52:54:00:aa:bb:cc']);
    expect(diskTargets(xml)).toEqual(new Map([['/s/b.qcow2', 'vda']]));
    // The source's serial log stays the source's (virtlogd holds it while the source runs).
    expect(xml).toContain(`<log file="/var/log/libvirt/qemu/${NEW}.serial.log" append="on"/>`);
  });

  it('refuses a disk without a copy target', () => {
    expect(() =>
      cloneDomainXml(XML, { sourceUuid: SRC, uuid: NEW, name: 'x', disks: new Map(), macs: [] }),
    ).toThrow(/no copy target/);
  });
});

describe('parseSnapshotXml', () => {
  it('reads parent, memory and external overlays', () => {
    const info = parseSnapshotXml(
      `<domainsnapshot><name>s2</name><state>disk-snapshot</state><parent><name>s1</name></parent>
       <creationTime>1700000000</creationTime><memory snapshot="no"/>
       <disks><disk name="vda" snapshot="external" type="file"><source file="/s/a.s2"/></disk>
       <disk name="hdc" snapshot="no"/></disks><domain><name>x</name></domain></domainsnapshot>`,
      true,
    );
    expect(info).toEqual({
      name: 's2',
      parent: 's1',
      state: 'disk-snapshot',
      current: true,
      type: 'external',
      withMemory: false,
      creationTime: 1700000000,
      overlays: [{ target: 'vda', path: '/s/a.s2' }],
    });
    const internal = parseSnapshotXml(
      `<domainsnapshot><name>s1</name><state>running</state><memory snapshot="internal"/>
       <disks><disk name="vda" snapshot="internal"/></disks></domainsnapshot>`,
      false,
    );
    expect(internal).toMatchObject({ parent: null, type: 'internal', withMemory: true, overlays: [] });
  });
});
