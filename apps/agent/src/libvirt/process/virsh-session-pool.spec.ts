import { VirshRunner } from './virsh-runner';
import { VirshSessionPool } from './virsh-session-pool';

// virsh's built-in test driver: real virsh processes, no libvirtd needed.
const runner = new VirshRunner({ uri: 'test:///default' });

function counting(r: VirshRunner) {
  const spawned: string[] = [];
  const inner = r.run.bind(r);
  r.run = (args, opts) => (spawned.push(args[0]!), inner(args, opts));
  return spawned;
}

describe('VirshSessionPool (the agent’s frequent reads)', () => {
  let pool: VirshSessionPool;
  let spawned: string[];
  beforeEach(() => {
    const r = new VirshRunner({ uri: 'test:///default' });
    spawned = counting(r);
    pool = new VirshSessionPool(r, 2);
  });
  afterEach(() => pool.close());

  it('answers like a spawned virsh, without spawning one per call', async () => {
    const direct = await runner.run(['dumpxml', '--domain', 'test']);
    for (let i = 0; i < 4; i++) {
      expect((await pool.run(['dumpxml', '--domain', 'test'])).stdout.trim()).toBe(direct.stdout.trim());
    }
    expect((await pool.run(['domstate', '--domain', 'test', '--reason'])).stdout.trim()).toBe(
      'running (unknown)',
    );
    expect(spawned).toEqual([]);
  });

  it('never queues: with every session busy the call runs as its own process', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => pool.run(['domstate', '--domain', 'test'])),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array(5).fill('running'));
    expect(spawned).toEqual(['domstate', 'domstate', 'domstate']);
  });

  it('gives the domain’s own errors as they are, and sends odd names to a process', async () => {
    await expect(pool.run(['domstate', '--domain', 'nosuch'])).rejects.toMatchObject({
      code: 'domain_not_found',
    });
    expect(spawned).toEqual([]);
    await expect(pool.run(['domstate', '--domain', 'a name; with spaces'])).rejects.toMatchObject({
      code: 'domain_not_found',
    });
    expect(spawned).toEqual(['domstate']);
  });
});
