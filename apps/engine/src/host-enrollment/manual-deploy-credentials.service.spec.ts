import type { EventsService } from '../events/events.service';
import type { HostEntity } from '../hosts/host.entity';
import type { HostsService } from '../hosts/hosts.service';
import type { HostCredentialsService } from '../trust/host-credentials.service';
import { ManualDeployCredentialsService } from './manual-deploy-credentials.service';

const meta = { actor: 'admin', correlationId: 'c1' };
const issued = { hostId: 'h1', redis: { url: 'redis://r:6379/', username: 'u', password: 'secret' } };

function setup(host: Partial<HostEntity>, issuedAt: Date | null) {
  const credentials = { issuedAt: jest.fn(async () => issuedAt), issue: jest.fn(async () => issued) };
  const events = { record: jest.fn(async () => ({})) };
  const hosts = { get: jest.fn(async () => ({ id: 'h1', name: 'kvm1', sshHostKey: null, ...host })) };
  const svc = new ManualDeployCredentialsService(
    hosts as unknown as HostsService,
    credentials as unknown as HostCredentialsService,
    events as unknown as EventsService,
  );
  return { svc, credentials, events };
}

describe('ManualDeployCredentialsService', () => {
  it('issues and audits without the secret', async () => {
    const { svc, events } = setup({}, null);
    await expect(svc.issue('h1', false, meta)).resolves.toBe(issued);
    const recorded = JSON.stringify(events.record.mock.calls);
    expect(recorded).toContain('host.credentials_issued');
    expect(recorded).not.toContain('secret');
  });

  it('refuses to replace existing credentials unless asked', async () => {
    const { svc, credentials } = setup({}, new Date('2026-01-01T00:00:00Z'));
    await expect(svc.issue('h1', false, meta)).rejects.toMatchObject({ code: 'conflict' });
    expect(credentials.issue).not.toHaveBeenCalled();
    await expect(svc.issue('h1', true, meta)).resolves.toBe(issued);
  });

  it('refuses a host enrolled over SSH (reinstall renews its credentials)', async () => {
    const { svc, credentials } = setup({ sshHostKey: 'ssh-ed25519 AAAA' }, null);
    await expect(svc.issue('h1', true, meta)).rejects.toThrow(/reinstalling it/);
    expect(credentials.issue).not.toHaveBeenCalled();
  });
});
