import { VirshRunner } from './virsh-runner';
import { VirshSession } from './virsh-session';

// virsh's built-in test driver: a real virsh process, no libvirtd needed.
const runner = new VirshRunner({ uri: 'test:///default' });

describe('VirshSession (one long-lived virsh, commands on stdin)', () => {
  let session: VirshSession;
  beforeEach(() => (session = new VirshSession(runner, 5_000)));
  afterEach(() => session.close());

  it('answers many commands from one process, each with its own output', async () => {
    const states = await Promise.all([
      session.run(['domstate', '--domain', 'test']),
      session.run(['domid', '--domain', 'test']),
      session.run(['domstate', '--domain', 'test']),
    ]);
    expect(states.map((r) => r.stdout.trim())).toEqual(['running', '1', 'running']);
    const pid = (session as unknown as { child: { pid: number } }).child.pid;
    for (let i = 0; i < 5; i++) await session.run(['domstate', '--domain', 'test']);
    expect((session as unknown as { child: { pid: number } }).child.pid).toBe(pid);
  });

  it('gives the output of a command line longer than 80 columns, not the echo of the line', async () => {
    // readline scrolls a long line at 80 columns ("<…"): the output then started with that echo.
    const word = 'k'.repeat(120);
    expect((await session.run(['echo', word])).stdout.trim()).toBe(word);
    const r = await session.run([
      'dumpxml',
      '--domain',
      'test',
      '--inactive',
      '--security-info',
      '--migratable',
    ]);
    expect(r.stdout.trimStart()).toMatch(/^<domain /);
  });

  it('turns virsh errors into VirshError and keeps going', async () => {
    await expect(session.run(['domstate', '--domain', 'nosuch'])).rejects.toMatchObject({
      name: 'VirshError',
      code: 'domain_not_found',
    });
    expect((await session.run(['domstate', '--domain', 'test'])).stdout.trim()).toBe('running');
  });

  it('refuses anything but plain words, so nothing reaches virsh’s command parser', async () => {
    await expect(session.run(['domstate', '--domain', 'test; destroy test'])).rejects.toThrow(/refuses/);
    await expect(session.run(['domstate', '--domain', 'test\nundefine test'])).rejects.toThrow(/refuses/);
    expect((await session.run(['domstate', '--domain', 'test'])).stdout.trim()).toBe('running');
  });

  it('starts a new virsh after the old one died', async () => {
    await session.run(['domstate', '--domain', 'test']);
    const child = (session as unknown as { child: { kill(s: string): void } }).child;
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect((await session.run(['domstate', '--domain', 'test'])).stdout.trim()).toBe('running');
  });
});
