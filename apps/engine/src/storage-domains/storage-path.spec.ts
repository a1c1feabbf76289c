import { storagePathProblem } from './storage-path';

describe('storage domain paths', () => {
  it.each(['/', '//', '/var', '/var/lib/', '/home', '/tmp', '/srv', '/mnt'])('%s is too broad', (p) =>
    expect(storagePathProblem(p)).toMatch(/too broad/),
  );

  it.each([
    '/etc',
    '/etc/',
    '/usr/lib/images',
    '/boot/x',
    '/root',
    '/proc/1',
    '/sys/fs',
    '/dev/shm',
    '/run/x',
    '//etc//x',
    '/var/run/y',
    '/lib64',
  ])('%s is a system directory', (p) =>
    expect(storagePathProblem(p)).toMatch(/belong to the operating system/),
  );

  it.each([
    '/var/lib/kelpie/images',
    '/srv/images',
    '/mnt/nfs1',
    '/x',
    '/var/lib/kelpie-lab/k1/shared',
    '/tmp/pool',
    '/etcetera',
    '/users',
  ])('%s is fine', (p) => expect(storagePathProblem(p)).toBeNull());
});
