import type { EventsService } from '../events/events.service';
import type { HostEntity } from '../hosts/host.entity';
import type { HostsService } from '../hosts/hosts.service';
import { ENGINE_KEY_LINE_PATTERN, engineAuthorizedKeyLine, LOCKSPACE_DIR } from '@kelpie/shared-types';
import type { ClusterRepository } from '../clusters/cluster.repository';
import type { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import type { EngineSshKey } from '../trust/engine-ssh-key';
import type { HostCredentialsService } from '../trust/host-credentials.service';
import { ManualDeployCredentialsService } from './manual-deploy-credentials.service';

const meta = { actor: 'admin', correlationId: 'c1' };
const issued = { hostId: 'h1', redis: { url: 'redis://r:6379/', username: 'u', password: 'secret' } };

const keyLine = engineAuthorizedKeyLine('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1');

function setup(host: Partial<HostEntity>, issuedAt: Date | null, sharedDirs: string[] = []) {
  const credentials = { issuedAt: jest.fn(async () => issuedAt), issue: jest.fn(async () => issued) };
  const events = { record: jest.fn(async () => ({})) };
  const hosts = {
    get: jest.fn(async () => ({ id: 'h1', name: 'kvm1', clusterId: 'c1', sshHostKey: null, ...host })),
  };
  const clusters = { byId: jest.fn(async () => ({ id: 'c1', datacenterId: 'dc1' })) };
  const storageDomains = {
    sharedDirectoryDomains: jest.fn(async (dc: string) =>
      dc === 'dc1' ? sharedDirs.map((path) => ({ path })) : [],
    ),
  };
  const svc = new ManualDeployCredentialsService(
    hosts as unknown as HostsService,
    credentials as unknown as HostCredentialsService,
    events as unknown as EventsService,
    { authorizedKeyLine: keyLine } as unknown as EngineSshKey,
    clusters as unknown as ClusterRepository,
    storageDomains as unknown as StorageDomainRepository,
  );
  return { svc, credentials, events };
}

describe('ManualDeployCredentialsService', () => {
  it('issues and audits without the secret', async () => {
    const { svc, events } = setup({}, null);
    await expect(svc.issue('h1', false, meta)).resolves.toMatchObject(issued);
    const recorded = JSON.stringify(events.record.mock.calls);
    expect(recorded).toContain('host.credentials_issued');
    expect(recorded).not.toContain('secret');
  });

  it("carries the host configuration: no shared directory is 'direct', the engine's restricted public-key line", async () => {
    const { svc } = setup({}, null);
    const answer = await svc.issue('h1', false, meta);
    expect(answer.hostConfig).toEqual({ lockspace: 'direct', engineAuthorizedKey: keyLine });
    expect(answer.hostConfig!.engineAuthorizedKey).toMatch(ENGINE_KEY_LINE_PATTERN);
    expect(JSON.stringify(answer.hostConfig)).not.toContain('PRIVATE');
  });

  it("carries the datacenter's lockspace on its oldest shared directory, as enrollment passes it", async () => {
    const { svc } = setup({}, null, ['/srv/shared/', '/srv/other']);
    const answer = await svc.issue('h1', false, meta);
    expect(answer.hostConfig?.lockspace).toBe(`/srv/shared/${LOCKSPACE_DIR}`);
  });

  it('refuses a lockspace the host would refuse, before replacing any credentials', async () => {
    for (const bad of ['/srv/a"b', "/srv/it's", '/srv/a\nb', '/srv/../etc']) {
      const { svc, credentials } = setup({}, null, [bad]);
      await expect(svc.issue('h1', false, meta)).rejects.toMatchObject({ code: 'conflict' });
      expect(credentials.issue).not.toHaveBeenCalled();
    }
  });

  it('refuses to replace existing credentials unless asked', async () => {
    const { svc, credentials } = setup({}, new Date('2026-01-01T00:00:00Z'));
    await expect(svc.issue('h1', false, meta)).rejects.toMatchObject({ code: 'conflict' });
    expect(credentials.issue).not.toHaveBeenCalled();
    await expect(svc.issue('h1', true, meta)).resolves.toMatchObject(issued);
  });

  it('refuses a host enrolled over SSH (reinstall renews its credentials)', async () => {
    const { svc, credentials } = setup({ sshHostKey: 'ssh-ed25519 AAAA' }, null);
    await expect(svc.issue('h1', true, meta)).rejects.toThrow(/reinstalling it/);
    expect(credentials.issue).not.toHaveBeenCalled();
  });
});
