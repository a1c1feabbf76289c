import type { CommandContext } from '../registry';
import { AgentHandlers } from './agent-handlers';

const ctx = { log: { warn: jest.fn() } } as unknown as CommandContext;

describe('agent.uninstall', () => {
  it('answers, then launches the installed uninstall script detached', async () => {
    const launched: string[][] = [];
    const h = new AgentHandlers('/opt/kelpie-agent', (argv) => launched.push(argv));
    await expect(h.uninstall({}, ctx)).resolves.toEqual({ ok: true });
    expect(launched).toHaveLength(1);
    expect(launched[0]!.at(-1)).toBe('/opt/kelpie-agent/uninstall.sh');
  });

  it('refuses on an agent enrollment did not install, launching nothing', async () => {
    const launched: string[][] = [];
    const h = new AgentHandlers(undefined, (argv) => launched.push(argv));
    await expect(h.uninstall({}, ctx)).rejects.toThrow(/not installed by enrollment/);
    expect(launched).toEqual([]);
  });
});
