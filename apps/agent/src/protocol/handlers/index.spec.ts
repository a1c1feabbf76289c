import { COMMANDS, DEV_ONLY_COMMANDS } from '@kelpie/shared-types';
import { CommandRegistry } from '../registry';
import { registerAllHandlers } from '.';

describe('registerAllHandlers', () => {
  it("the agent's handlers cover the whole catalog (development commands with the flag)", () => {
    const r = registerAllHandlers(
      new CommandRegistry(),
      {} as never,
      {} as never,
      {} as never,
      undefined,
      true,
    );
    expect(r.missing()).toEqual([]);
    expect(r.names().sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('without the flag the commands the engine never sends have no handler', () => {
    const r = registerAllHandlers(new CommandRegistry(), {} as never, {} as never, {} as never);
    expect(r.missing()).toEqual([]);
    for (const name of DEV_ONLY_COMMANDS) expect(r.get(name)).toBeUndefined();
    expect(r.names().sort()).toEqual(
      Object.keys(COMMANDS)
        .filter((n) => !DEV_ONLY_COMMANDS.includes(n as never))
        .sort(),
    );
  });
});
