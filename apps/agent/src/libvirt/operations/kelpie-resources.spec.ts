import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KELPIE_VM_XMLNS } from '@kelpie/shared-types';
import { parseDomainXml } from '../mapping/domain-xml';
import { KelpieResources } from './kelpie-resources';
import type { LibvirtClient } from './libvirt-client';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

const domainXml = (uuid: string, name: string, disk: string, managed: boolean) =>
  `<domain type='qemu'><name>${name}</name><uuid>${uuid}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  (managed ? `<metadata><kelpie:vm xmlns:kelpie="${KELPIE_VM_XMLNS}" id="${uuid}"/></metadata>` : '') +
  `<devices><disk type='file' device='disk'><source file='${disk}'/><target dev='vda'/></disk></devices></domain>`;

describe('KelpieResources', () => {
  it('lists only files named like Kelpie volumes, and survives a missing directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-gc-'));
    await writeFile(join(dir, `${A}.qcow2`), 'x');
    await writeFile(join(dir, `${B}.img`), 'xy');
    await writeFile(join(dir, `${A}.snap1`), 'overlay');
    await writeFile(join(dir, `${A}-cidata.iso`), 'iso');
    await writeFile(join(dir, 'notes.qcow2'), 'other');
    await mkdir(join(dir, `${B}.qcow2`));
    const found = await new KelpieResources({} as LibvirtClient).volumes([dir, join(dir, 'missing')]);
    expect(found.map((v) => [v.name, v.sizeBytes, v.dir]).sort()).toEqual([
      [`${A}.qcow2`, 1, dir],
      [`${B}.img`, 2, dir],
    ]);
    expect(Date.parse(found[0].changedAt)).not.toBeNaN();
  });

  it("lists Kelpie's domains and every image the disks of every domain read, backing chains included", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-gc-'));
    const [a, b] = [join(dir, 'a.qcow2'), join(dir, 'b.qcow2')];
    await writeFile(a, 'top');
    await writeFile(b, 'top');
    const xml: Record<string, string> = {
      [A]: domainXml(A, 'mine', a, true),
      [B]: domainXml(B, 'theirs', b, false),
      [C]: domainXml(C, 'gone-disk', join(dir, 'missing.qcow2'), true),
    };
    // a.qcow2 is the top of base ← snap1 ← a (two external snapshots): snap1 is read, not a source.
    const chains: Record<string, string[]> = { [a]: [a, '/sd/a.snap1', '/sd/a.base'], [b]: [b] };
    const libvirt = {
      reads: { run: async () => ({ stdout: `${A}\n` }) },
      listDomains: async () => [
        { uuid: A.toUpperCase(), name: 'mine' },
        { uuid: B, name: 'theirs' },
        { uuid: C, name: 'gone-disk' },
      ],
      domainXml: async (uuid: string) => parseDomainXml(xml[uuid]),
    } as unknown as LibvirtClient;
    const resources = new KelpieResources(libvirt, async (path) => chains[path]!);
    const { domains, diskSources } = await resources.domains();
    expect(domains.map((d) => d.name)).toEqual(['mine', 'gone-disk']);
    expect(diskSources.sort()).toEqual(
      [a, b, join(dir, 'missing.qcow2'), '/sd/a.base', '/sd/a.snap1'].sort(),
    );
  });

  it('a chain that cannot be read fails the listing: nothing is collected on doubt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-gc-'));
    const a = join(dir, 'a.qcow2');
    await writeFile(a, 'top');
    const libvirt = {
      reads: { run: async () => ({ stdout: '' }) },
      listDomains: async () => [{ uuid: A, name: 'mine' }],
      domainXml: async () => parseDomainXml(domainXml(A, 'mine', a, true)),
    } as unknown as LibvirtClient;
    const resources = new KelpieResources(libvirt, async () => {
      throw new Error('qemu-img: Could not open backing file');
    });
    await expect(resources.domains()).rejects.toThrow(/Could not open backing file/);
  });
});
