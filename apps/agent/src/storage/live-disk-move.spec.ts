import { copyPercent, diskSource, mirrorOf, parseBlockJob } from './live-disk-move';

describe('live disk move parsing', () => {
  it('reads cur/end of a copy job from `blockjob --raw`, and nothing when no job runs', () => {
    expect(parseBlockJob(' type=Copy bandwidth=0 cur=1048576 end=67108864\n')).toEqual({
      cur: 1048576,
      end: 67108864,
    });
    expect(parseBlockJob('No current block job for vda\n')).toBeNull();
  });

  it('maps the copy onto 10–90 %', () => {
    expect(copyPercent({ cur: 0, end: 100 })).toBe(10);
    expect(copyPercent({ cur: 50, end: 100 })).toBe(50);
    expect(copyPercent({ cur: 120, end: 100 })).toBe(90);
    expect(copyPercent({ cur: 0, end: 0 })).toBe(10);
  });

  it('finds the source of a target device in `domblklist --details`', () => {
    const out = [
      ' Type   Device   Target   Source',
      '-----------------------------------------------',
      ' file   disk     vda      /srv/a/1.img',
      ' file   cdrom    hdc      -',
      '',
    ].join('\n');
    expect(diskSource(out, 'vda')).toBe('/srv/a/1.img');
    expect(diskSource(out, 'hdc')).toBe('-');
    expect(diskSource(out, 'vdb')).toBeNull();
  });

  it('reads the copy job’s destination and readiness from the live XML’s <mirror>, per disk', () => {
    const xml = (mirror: string) => `<domain type='kvm'><name>x</name><devices>
      <disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>
      <disk type='file' device='disk'><driver name='qemu' type='raw'/>
        <source file='/srv/a/1.img' index='1'/>${mirror}
        <target dev='vda' bus='virtio'/></disk></devices></domain>`;
    const copying = `<mirror type='file' file='/srv/b/1.img' format='raw' job='copy'>
      <format type='raw'/><source file='/srv/b/1.img' index='3'/></mirror>`;
    expect(mirrorOf(xml(copying), 'vda')).toEqual({ dest: '/srv/b/1.img', ready: false });
    expect(mirrorOf(xml(copying.replace("job='copy'", "job='copy' ready='yes'")), 'vda')).toEqual({
      dest: '/srv/b/1.img',
      ready: true,
    });
    // Newer libvirt names the destination only in <source>.
    const sourceOnly = `<mirror type='file' job='copy' ready='yes'><source file='/srv/b/1.img'/></mirror>`;
    expect(mirrorOf(xml(sourceOnly), 'vda')).toEqual({ dest: '/srv/b/1.img', ready: true });
    expect(mirrorOf(xml(''), 'vda')).toBeNull();
    expect(mirrorOf(xml(copying), 'vdb')).toBeNull();
  });
});
