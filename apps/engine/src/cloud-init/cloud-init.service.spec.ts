import { parse } from 'yaml';
import { spaceShortages } from '../vm-guard/storage-space';
import { buildUserData, checkCloudConfig } from './cloud-init.service';

describe('cloud-init user-data', () => {
  it('accepts a #cloud-config mapping and names userData for everything else', () => {
    expect(checkCloudConfig('#cloud-config\npackages: [vim]\n')).toEqual([]);
    for (const bad of [
      'packages: [vim]\n',
      '#cloud-config\na: [\n',
      '#cloud-config\na: 1\na: 2\n',
      '#cloud-config\n- x\n',
    ])
      expect(checkCloudConfig(bad)[0].field).toBe('userData');
  });

  it('builds user-data whose YAML quoting keeps every value intact', () => {
    const doc = buildUserData({
      users: [{ name: 'ops', sshAuthorizedKeys: ['ssh-ed25519 AAAA x@y'], sudo: true }],
      packages: ['nginx'],
      runcmd: ['echo "a: b" # not a comment', "it's"],
    });
    expect(doc.startsWith('#cloud-config\n')).toBe(true);
    expect(checkCloudConfig(doc)).toEqual([]);
    expect(parse(doc)).toEqual({
      users: [
        'default',
        { name: 'ops', ssh_authorized_keys: ['ssh-ed25519 AAAA x@y'], sudo: 'ALL=(ALL) NOPASSWD:ALL' },
      ],
      packages: ['nginx'],
      runcmd: ['echo "a: b" # not a comment', "it's"],
    });
  });
});

describe('spaceShortages', () => {
  const disk = (target: string, pool: string | null, size: number, avail: number) => ({
    target,
    device: 'disk' as const,
    path: `/d/${target}`,
    format: 'qcow2',
    virtualSizeBytes: size,
    allocationBytes: 0,
    backingPath: null,
    availableBytes: avail,
    pool,
  });
  it('sums the needs per pool', () => {
    const disks = [disk('vda', 'p', 60, 100), disk('vdb', 'p', 60, 100), disk('vdc', 'q', 60, 100)];
    expect(spaceShortages(disks, (d) => d.virtualSizeBytes)).toEqual([
      { where: 'pool p', neededBytes: 120, availableBytes: 100, disks: ['vda', 'vdb'] },
    ]);
  });
});
