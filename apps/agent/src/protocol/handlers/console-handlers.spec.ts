import { pino } from 'pino';
import { LibvirtClient } from '../../libvirt/operations';
import { VirshError, type VirshRunner } from '../../libvirt/process';
import type { CommandContext } from '../registry';
import { ConsoleHandlers } from './console-handlers';

const UUID = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const ctx: CommandContext = {
  jobId: '1',
  command: 'vm.set-graphics-password',
  log: pino({ level: 'silent' }),
  progress: async () => undefined,
  signal: new AbortController().signal,
};

const liveXml = (port: number, running = true) =>
  `<domain type='qemu'${running ? " id='7'" : ''}><name>g</name><devices>
  <graphics type='vnc' port='${running ? port : -1}' autoport='yes' listen='0.0.0.0' passwd='old'>
    <listen type='address' address='0.0.0.0'/>
  </graphics></devices></domain>`;

/** A fake virsh over one domain whose live VNC port can change (a restart); update-device refuses
 * an element whose port differs from the live one, as libvirt refuses a changed display. */
function fakeHost() {
  const dom = { port: 5901, running: true };
  const calls: string[] = [];
  const runner = {
    uri: 'test:///fake',
    run: async (args: readonly string[]) => {
      calls.push(args[0]!);
      if (args[0] === 'dumpxml') return { stdout: liveXml(dom.port, dom.running), stderr: '' };
      if (args[0] === 'update-device') {
        if (!dom.running) throw new VirshError('operation_invalid', 'domain is not running');
        const { readFile } = await import('node:fs/promises');
        const xml = await readFile(args[args.indexOf('--file') + 1]!, 'utf8');
        if (!xml.includes(`port="${dom.port}"`))
          throw new VirshError('operation_invalid', 'cannot change port settings on vnc graphics');
        if (xml.includes('old')) throw new Error('the old password was sent back');
        return { stdout: '', stderr: '' };
      }
      throw new Error(`unexpected virsh ${args[0]}`);
    },
  };
  const handlers = new ConsoleHandlers(new LibvirtClient(runner as unknown as VirshRunner));
  const set = (graphicsPort?: number) =>
    handlers.setGraphicsPassword(
      { uuid: UUID, password: 'Ab3dE6gH', validForSeconds: 60, graphicsPort },
      ctx,
    );
  return { dom, handlers, set, take: () => calls.splice(0) };
}

describe('vm.set-graphics-password: virsh processes', () => {
  it('reads the display once, then sets later passwords with update-device alone', async () => {
    const h = fakeHost();
    expect((await h.set(5901)).graphicsPort).toBe(5901);
    expect(h.take()).toEqual(['dumpxml', 'update-device']);
    expect((await h.set(5901)).graphicsPort).toBe(5901);
    expect(h.take()).toEqual(['update-device']);
  });

  it('reads the display again when the inventory port differs or libvirt refuses the element', async () => {
    const h = fakeHost();
    await h.set(5901);
    h.take();
    h.dom.port = 5902; // restarted with another port
    expect((await h.set(5902)).graphicsPort).toBe(5902);
    expect(h.take()).toEqual(['dumpxml', 'update-device']);
    h.dom.port = 5903; // the inventory has not caught up: libvirt refuses, the display is re-read
    expect((await h.set(5902)).graphicsPort).toBe(5903);
    expect(h.take()).toEqual(['update-device', 'dumpxml', 'update-device']);
    expect((await h.set()).graphicsPort).toBe(5903); // no port from the engine: always read
    expect(h.take()).toEqual(['dumpxml', 'update-device']);
  });

  it('a stopped domain is refused as not running (operation_invalid)', async () => {
    const h = fakeHost();
    await h.set(5901);
    h.dom.running = false;
    await expect(h.set(5901)).rejects.toMatchObject({ code: 'operation_invalid' });
    expect(h.take()).toEqual(['dumpxml', 'update-device', 'update-device', 'dumpxml']);
  });
});

describe('vm.open-serial-console: virsh processes', () => {
  it('one dumpxml tells a stopped domain (no id) from a running one', async () => {
    const h = fakeHost();
    h.dom.running = false;
    await expect(
      h.handlers.openSerialConsole({ uuid: UUID, token: 'x'.repeat(43), validForSeconds: 5 }, ctx),
    ).rejects.toMatchObject({ code: 'operation_invalid', message: 'the domain is not running' });
    expect(h.take()).toEqual(['dumpxml']);
  });
});
