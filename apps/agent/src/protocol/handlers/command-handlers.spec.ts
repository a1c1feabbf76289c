import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { LibvirtClient } from '../../libvirt/operations';
import { VirshError, type VirshRunner } from '../../libvirt/process';
import type { CommandContext } from '../registry';
import { CommandHandlers } from './command-handlers';

const fx = (f: string) => readFileSync(join(__dirname, '..', '..', 'libvirt', '__fixtures__', f), 'utf8');
const UUID = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const ctx: CommandContext = {
  jobId: '1',
  command: 'vm.start',
  log: pino({ level: 'silent' }),
  progress: async () => undefined,
  signal: new AbortController().signal,
};

/** A fake virsh over one domain, answering with captured virsh output; records every call. */
function fakeHost(init: { running: boolean; persistent: boolean; lockd?: boolean }) {
  const dom = { ...init, exists: true };
  const calls: string[] = [];
  const notFound = () => new VirshError('domain_not_found', fx('err-domain-not-found.txt'));
  const runner = {
    uri: 'test:///fake',
    run: async (args: readonly string[]) => {
      const cmd = args[0]!;
      calls.push(cmd);
      if (!dom.exists) throw notFound();
      switch (cmd) {
        case 'dominfo':
          return {
            stdout: fx('dominfo-running.txt')
              .replace(/^State:.*$/m, `State:          ${dom.running ? 'running' : 'shut off'}`)
              .replace(/^Persistent:.*$/m, `Persistent:     ${dom.persistent ? 'yes' : 'no'}`),
          };
        case 'domstate':
          return { stdout: dom.running ? 'running (booted)\n' : 'shut off (destroyed)\n' };
        case 'dumpxml':
          return { stdout: fx(dom.running ? 'dumpxml-ext-running.xml' : 'dumpxml-ext-inactive.xml') };
        case 'start':
          dom.running = true;
          return { stdout: '' };
        case 'shutdown':
          dom.running = false; // the guest's OS answers the power button at once
          return { stdout: '' };
        case 'reboot':
          return { stdout: '' };
        case 'undefine':
          dom.exists = dom.running; // a running domain becomes transient
          dom.persistent = false;
          return { stdout: '' };
        case 'destroy':
          dom.running = false;
          dom.exists = dom.persistent;
          return { stdout: '' };
        default:
          throw new Error(`unexpected virsh ${cmd}`);
      }
    },
  };
  const libvirt = new LibvirtClient(runner as unknown as VirshRunner);
  const handlers = new CommandHandlers(libvirt, { fullSync: async () => 0 }, async () => init.lockd ?? false);
  /** The full three-process snapshot, as the handlers used to return it. */
  const fullSnapshot = () => libvirt.snapshot(UUID);
  const take = () => calls.splice(0).sort();
  return { handlers, fullSnapshot, take };
}

describe('power commands: virsh calls and results', () => {
  it('start: start + domstate + dumpxml (3 calls, was 4), same snapshot as dominfo would give', async () => {
    const h = fakeHost({ running: false, persistent: true });
    const got = await h.handlers.start({ uuid: UUID }, ctx);
    expect(h.take()).toEqual(['domstate', 'dumpxml', 'start']);
    expect(got).toEqual(await h.fullSnapshot());
    expect(got).toMatchObject({ state: 'running', reason: 'booted', persistent: true, vcpus: 1 });
  });

  it('destroy of a running persistent domain: 4 calls (was 7), same snapshot', async () => {
    const h = fakeHost({ running: true, persistent: true });
    const got = await h.handlers.destroy({ uuid: UUID }, ctx);
    expect(h.take()).toEqual(['destroy', 'dominfo', 'domstate', 'dumpxml']);
    expect(got).toEqual(await h.fullSnapshot());
    expect(got).toMatchObject({ state: 'shutoff', reason: 'destroyed', persistent: true });
    expect(got.vncPort).toBeUndefined();
  });

  it('destroy of a stopped domain is a no-op: dominfo + domstate + dumpxml, same snapshot', async () => {
    const h = fakeHost({ running: false, persistent: true });
    const got = await h.handlers.destroy({ uuid: UUID }, ctx);
    expect(h.take()).toEqual(['dominfo', 'domstate', 'dumpxml']);
    expect(got).toEqual(await h.fullSnapshot());
  });

  it('destroy of a transient domain snapshots it first and returns it as shutoff once it vanished', async () => {
    const h = fakeHost({ running: true, persistent: false });
    const before = await h.fullSnapshot();
    h.take();
    const got = await h.handlers.destroy({ uuid: UUID }, ctx);
    expect(h.take()).toEqual(['destroy', 'dominfo', 'domstate', 'domstate', 'dumpxml', 'dumpxml']);
    const { vncPort: _v, ...rest } = before;
    expect(got).toEqual({ ...rest, state: 'shutoff', reason: 'destroyed', persistent: false });
  });
});

describe('reboot: virsh reboot, or a shutdown + start where virtlockd holds the leases', () => {
  it('without a lock manager: one virsh reboot (a warm reset inside the same QEMU)', async () => {
    const h = fakeHost({ running: true, persistent: true });
    const got = await h.handlers.reboot({ uuid: UUID }, ctx);
    expect(got.state).toBe('running');
    expect(h.take().filter((c) => c === 'reboot' || c === 'shutdown' || c === 'start')).toEqual(['reboot']);
  });

  it('on a lockd host: ACPI shutdown, wait for shut off, start — never virsh reboot; the task says so', async () => {
    const h = fakeHost({ running: true, persistent: true, lockd: true });
    const said: string[] = [];
    const got = await h.handlers.reboot(
      { uuid: UUID },
      { ...ctx, progress: async (_p: number, m: string) => void said.push(m) },
    );
    expect(got.state).toBe('running');
    const calls = h.take();
    expect(calls).not.toContain('reboot');
    expect(calls.filter((c) => c === 'shutdown' || c === 'start')).toEqual(['shutdown', 'start']);
    expect(said[0]).toMatch(/virtlockd: rebooting as a clean shutdown, then a start/);
  });

  it('on a lockd host a VM that is not running is refused (operation_invalid), nothing sent', async () => {
    const h = fakeHost({ running: false, persistent: true, lockd: true });
    await expect(h.handlers.reboot({ uuid: UUID }, ctx)).rejects.toMatchObject({ code: 'operation_invalid' });
    expect(h.take()).not.toContain('shutdown');
  });
});

describe('vm.undefine onlyIfInactive (a stale copy of a VM that runs on another host)', () => {
  it('undefines a shut-off domain', async () => {
    const h = fakeHost({ running: false, persistent: true });
    await expect(h.handlers.undefine({ uuid: UUID, onlyIfInactive: true }, ctx)).resolves.toEqual({
      ok: true,
    });
    expect(h.take()).toContain('undefine');
  });

  it('leaves a running domain defined and says why', async () => {
    const h = fakeHost({ running: true, persistent: true });
    await expect(h.handlers.undefine({ uuid: UUID, onlyIfInactive: true }, ctx)).rejects.toMatchObject({
      code: 'operation_invalid',
      message: expect.stringContaining('not shut off'),
    });
    expect(h.take()).not.toContain('undefine');
  });

  it('without the flag undefines as before', async () => {
    const h = fakeHost({ running: true, persistent: true });
    await h.handlers.undefine({ uuid: UUID }, ctx);
    expect(h.take()).toContain('undefine');
  });
});
