import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KELPIE_VM_XMLNS } from '@kelpie/shared-types';
import { parseDomainXml } from '../mapping/domain-xml';
import { KelpieResources } from './kelpie-resources';
import type { LibvirtClient } from './libvirt-client';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

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

  it("lists Kelpie's domains and the disk sources of every domain", async () => {
    const xml: Record<string, string> = {
      [A]: domainXml(A, 'mine', '/sd/a.qcow2', true),
      [B]: domainXml(B, 'theirs', '/sd/b.qcow2', false),
    };
    const libvirt = {
      reads: { run: async () => ({ stdout: `${A}\n` }) },
      listDomains: async () => [
        { uuid: A.toUpperCase(), name: 'mine' },
        { uuid: B, name: 'theirs' },
      ],
      domainXml: async (uuid: string) => parseDomainXml(xml[uuid]),
    } as unknown as LibvirtClient;
    const { domains, diskSources } = await new KelpieResources(libvirt).domains();
    expect(domains).toEqual([{ uuid: A, name: 'mine', active: true, definedAt: null }]);
    expect(diskSources.sort()).toEqual(['/sd/a.qcow2', '/sd/b.qcow2']);
  });
});
