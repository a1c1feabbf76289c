import { hostLayout, hostNamePattern, parseHostRef, resolveLabConfig } from './lab-config';

describe('lab config', () => {
  it('defaults to lab kl on 10.77.0.0/24', () => {
    const config = resolveLabConfig();
    expect(config).toMatchObject({
      name: 'kl',
      bridge: 'klbr0',
      bridgeIp: '10.77.0.1',
      stateDir: '/var/lib/kelpie-lab/kl',
    });
    expect(config.forwards).toEqual([{ port: 6379, targetHost: '127.0.0.1', targetPort: 6379 }]);
  });

  it('names hosts and addresses them 10.<x>.0.1<i>', () => {
    const h = hostLayout(resolveLabConfig({ name: 'kt', subnet: 78 }), 2);
    expect(h).toMatchObject({
      name: 'h2',
      netns: 'kt-h2',
      veth: 'kt-h2',
      ip: '10.78.0.12',
      uri: 'qemu+tcp://10.78.0.12/system',
    });
  });

  it('keeps every interface name within 15 characters', () => {
    const config = resolveLabConfig({ name: 'abcd' });
    expect(config.bridge.length).toBeLessThanOrEqual(15);
    expect(hostLayout(config, 99).veth.length).toBeLessThanOrEqual(15);
    expect(hostLayout(config, 99).trunkVeth.length).toBeLessThanOrEqual(15);
    expect(hostLayout(config, 99).trunkVeth2.length).toBeLessThanOrEqual(15);
    expect(config.trunkBridge.length).toBeLessThanOrEqual(15);
  });

  it('rejects bad names and subnets', () => {
    expect(() => resolveLabConfig({ name: 'toolong' })).toThrow();
    expect(() => resolveLabConfig({ name: 'a-b' })).toThrow();
    expect(() => resolveLabConfig({ subnet: 256 })).toThrow();
  });

  it('matches only its own hosts', () => {
    const pattern = hostNamePattern(resolveLabConfig({ name: 'kl' }));
    expect(pattern.test('kl-h3')).toBe(true);
    expect(pattern.test('klx-h3')).toBe(false);
    expect(pattern.test('kl-h3x')).toBe(false);
  });

  it('parses host references', () => {
    expect(parseHostRef('h4')).toBe(4);
    expect(parseHostRef(4)).toBe(4);
    expect(() => parseHostRef('x')).toThrow();
  });
});
