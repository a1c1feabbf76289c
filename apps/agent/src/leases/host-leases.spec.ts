import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_LEASE_DIR } from '@kelpie/shared-types';
import { HostLeaseObserver, writeLeaseTargets } from './host-leases';

const SELF = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

describe('host lease records', () => {
  let root: string;
  let clock: number;
  const write = (dir: string, host: string, content: string) => {
    mkdirSync(join(dir, HOST_LEASE_DIR), { recursive: true });
    writeFileSync(join(dir, HOST_LEASE_DIR, host), content);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kelpie-leases-'));
    clock = 1000;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reports how long another host's record has not changed, by this host's clock, never its own", async () => {
    const dir = join(root, 'sd1');
    write(dir, SELF, 'self');
    write(dir, OTHER, `${OTHER} 1 5`);
    writeFileSync(join(dir, HOST_LEASE_DIR, `${OTHER}.new`), 'half written');
    const observer = new HostLeaseObserver(SELF, () => clock);
    // First look: one value seen, no renewal observed yet.
    expect(await observer.observe([dir])).toEqual([{ hostId: OTHER, unchangedForMs: 0, renewalSeen: false }]);
    clock += 4000;
    expect(await observer.observe([dir])).toEqual([
      { hostId: OTHER, unchangedForMs: 4000, renewalSeen: false },
    ]);
    write(dir, OTHER, `${OTHER} 2 7`);
    clock += 1000;
    expect(await observer.observe([dir])).toEqual([{ hostId: OTHER, unchangedForMs: 0, renewalSeen: true }]);
    clock += 3000;
    expect(await observer.observe([dir])).toEqual([
      { hostId: OTHER, unchangedForMs: 3000, renewalSeen: true },
    ]);
  });

  it('of several domains, the most recently changed record counts', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    write(a, OTHER, 'a1');
    write(b, OTHER, 'b1');
    const observer = new HostLeaseObserver(SELF, () => clock);
    await observer.observe([a, b]);
    clock += 10_000;
    write(b, OTHER, 'b2');
    await observer.observe([a, b]);
    clock += 2000;
    expect(await observer.observe([a, b])).toEqual([
      { hostId: OTHER, unchangedForMs: 2000, renewalSeen: true },
    ]);
  });

  it('lists the host id then the directories for the renewer', async () => {
    const file = join(root, 'state', 'lease-targets');
    await writeLeaseTargets(file, SELF, ['/srv/a', '/srv/b']);
    expect(readFileSync(file, 'utf8')).toBe(`${SELF}\n/srv/a\n/srv/b\n`);
  });
});
