import { LIBVIRT_URI } from './host.dto';

describe('host input', () => {
  it('libvirt URIs', () => {
    for (const ok of [
      'qemu:///system',
      'qemu+ssh://root@h1/system',
      'qemu+tls://h1:16514/system',
      'test:///default',
    ]) {
      expect(LIBVIRT_URI.test(ok)).toBe(true);
    }
    for (const bad of [
      'http://h1/system',
      'qemu+ssh://h1/system?x=$(id)',
      'qemu+ssh://h 1/system',
      "qemu:///system'",
    ]) {
      expect(LIBVIRT_URI.test(bad)).toBe(false);
    }
  });
});
