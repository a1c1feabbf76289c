import { incrementalDisks, overlayVolumeXml } from './incremental-targets';

// Live XML of a running domain as libvirt 9 prints it (an overlay on a base, a raw disk, a CD-ROM).
const LIVE = `<domain type='qemu' id='3'>
  <name>g</name>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/libvirt/images/inc1.qcow2' index='1'/>
      <backingStore type='file' index='2'>
        <format type='qcow2'/>
        <source file='/var/lib/libvirt/images/base.qcow2'/>
        <backingStore/>
      </backingStore>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='none'/>
      <source file='/var/lib/libvirt/images/data.img' index='3'/>
      <backingStore/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='/iso/x.iso'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
  </devices>
</domain>`;

describe('incremental storage migration targets', () => {
  it('lists the writable file disks with their first backing file', () => {
    expect(incrementalDisks(LIVE)).toEqual([
      {
        target: 'vda',
        path: '/var/lib/libvirt/images/inc1.qcow2',
        format: 'qcow2',
        backingPath: '/var/lib/libvirt/images/base.qcow2',
        backingFormat: 'qcow2',
      },
      {
        target: 'vdb',
        path: '/var/lib/libvirt/images/data.img',
        format: 'raw',
        backingPath: null,
        backingFormat: null,
      },
    ]);
  });

  it('describes the target image as an empty volume on the same backing file', () => {
    const [overlay, raw] = incrementalDisks(LIVE);
    const xml = overlayVolumeXml(overlay!, 8 * 1024 * 1024);
    expect(xml).toContain('<name>inc1.qcow2</name>');
    expect(xml).toContain('<capacity unit="bytes">8388608</capacity>');
    expect(xml).toMatch(/<target>\s*<format type="qcow2"\/>\s*<\/target>/);
    expect(xml).toMatch(
      /<backingStore>\s*<path>\/var\/lib\/libvirt\/images\/base.qcow2<\/path>\s*<format type="qcow2"\/>/,
    );
    expect(overlayVolumeXml(raw!, 1024)).not.toContain('backingStore');
  });
});
