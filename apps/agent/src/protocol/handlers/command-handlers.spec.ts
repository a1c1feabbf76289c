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
function fakeHost(init: { running: boolean; persistent: boolean }) {
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
  const handlers = new CommandHandlers(libvirt, { fullSync: async () => 0 });
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
