import { graphicsPasswordXml, isRunningXml, parseLiveVncGraphics, parseSerialPty } from './console';

const LIVE = `<domain type='qemu' id='3'><name>g</name><devices>
  <serial type='pty'><source path='/dev/pts/7'/><target type='isa-serial' port='0'/></serial>
  <console type='pty' tty='/dev/pts/7'><source path='/dev/pts/7'/><target type='serial' port='0'/></console>
  <graphics type='vnc' port='5901' autoport='yes' listen='0.0.0.0' passwd='old' passwdValidTo='2000-01-01T00:00:00'>
    <listen type='address' address='0.0.0.0'/>
  </graphics></devices></domain>`;

describe('console operations', () => {
  it('reads the live VNC graphics and the serial pty', () => {
    const { running, vnc: g } = parseLiveVncGraphics(LIVE);
    expect(running).toBe(true);
    expect(g!.port).toBe(5901);
    expect(g!.hasPassword).toBe(true);
    expect(g!.listens).toEqual([{ type: 'address', address: '0.0.0.0' }]);
    expect(parseSerialPty(LIVE)).toEqual({ path: '/dev/pts/7' });
    expect(parseSerialPty(LIVE.replace(/\/dev\/pts\/7/g, '/etc/passwd'))).toBeNull();
  });

  it('tells a shut-off domain (no id in its XML) from a running one', () => {
    const off = parseLiveVncGraphics(LIVE.replace(" id='3'", '').replace(/ port='5901'/, " port='-1'"));
    expect(off.running).toBe(false);
    expect(isRunningXml(LIVE)).toBe(true);
    expect(isRunningXml(LIVE.replace(" id='3'", ''))).toBe(false);
    expect(off.vnc!.port).toBe(0);
    expect(parseLiveVncGraphics(`<domain type='qemu' id='4'><devices/></domain>`)).toEqual({
      running: true,
      vnc: null,
    });
  });

  it('builds the update-device element from the live one with the new password', () => {
    const xml = graphicsPasswordXml(
      parseLiveVncGraphics(LIVE).vnc!,
      'Ab3dE6gH',
      new Date('2030-01-02T03:04:05.678Z'),
    );
    expect(xml).toContain(`port="5901"`);
    expect(xml).toContain(`passwd="Ab3dE6gH"`);
    expect(xml).toContain(`passwdValidTo="2030-01-02T03:04:05"`);
    expect(xml).toContain(`connected="keep"`);
    expect(xml).toContain(`<listen type="address" address="0.0.0.0"/>`);
    expect(xml).not.toContain('old');
  });
});
