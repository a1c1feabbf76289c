import type { CommandName } from '@kelpie/shared-types';
import {
  CommandRegistry,
  MissingHandlersError,
  OnCommand,
  type CommandContext,
  type ParsedPayload,
} from './registry';

describe('CommandRegistry', () => {
  it('boot fails when a command of the catalog has no handler', () => {
    const r = new CommandRegistry().register('host.sleep', async () => ({ ok: true as const }));
    expect(() => r.assertComplete()).toThrow(MissingHandlersError);
    try {
      r.assertComplete();
    } catch (e) {
      expect((e as MissingHandlersError).missing).toContain('vm.start');
      expect((e as MissingHandlersError).missing).not.toContain('host.sleep');
    }
  });

  it('refuses names outside the catalog and double registration', () => {
    const r = new CommandRegistry();
    expect(() => r.register('vm.teleport' as CommandName, async () => ({}) as never)).toThrow(
      /not a command/,
    );
    r.register('host.sleep', async () => ({ ok: true as const }));
    expect(() => r.register('host.sleep', async () => ({ ok: true as const }))).toThrow(/twice/);
  });

  it('registers @OnCommand methods bound to their instance', async () => {
    class H {
      calls = 0;
      @OnCommand('host.sleep')
      async s(_p: ParsedPayload<'host.sleep'>, _c: CommandContext) {
        this.calls++;
        return { ok: true as const };
      }
    }
    const h = new H();
    const r = new CommandRegistry().registerInstance(h);
    expect(r.names()).toEqual(['host.sleep']);
    await r.get('host.sleep')!({ ms: 0 }, {} as CommandContext);
    expect(h.calls).toBe(1);
  });
});
