import type { DomainPresence } from '../agents/domain-probe';
import { migrationEnd } from './migration-end';

const running: DomainPresence = { state: 'running' };
const paused: DomainPresence = { state: 'paused' };
const shutoff: DomainPresence = { state: 'shutoff' };
const absent: DomainPresence = { state: 'absent' };
const silent: DomainPresence = { state: 'unknown', why: 'host-x did not pick up vm.migration-info' };

describe('migrationEnd (an adopted migration ends as libvirt shows it)', () => {
  it('succeeded: the target runs the VM and the source no longer does, whatever the job says', () => {
    for (const job of ['completed', 'failed', 'missing'] as const) {
      expect(migrationEnd(job, { source: absent, target: running })).toBe('succeeded');
      expect(migrationEnd(job, { source: shutoff, target: running })).toBe('succeeded');
    }
  });

  it('failed: the source runs it and the target has no domain, unless libvirt said it completed', () => {
    expect(migrationEnd('failed', { source: running, target: absent })).toBe('failed');
    expect(migrationEnd('missing', { source: running, target: absent })).toBe('failed');
    expect(migrationEnd('completed', { source: running, target: absent })).toBe('unknown');
  });

  it('unknown: two runners, none, a target still paused (switch-over), or a silent host', () => {
    expect(migrationEnd('missing', { source: running, target: running })).toBe('unknown');
    expect(migrationEnd('missing', { source: absent, target: absent })).toBe('unknown');
    expect(migrationEnd('missing', { source: running, target: paused })).toBe('unknown');
    expect(migrationEnd('missing', { source: silent, target: running })).toBe('unknown');
    expect(migrationEnd('failed', { source: running, target: silent })).toBe('unknown');
  });

  it('a silent source after a job libvirt completed: the target is the one owner', () => {
    expect(migrationEnd('completed', { source: silent, target: running })).toBe('succeeded');
  });
});
