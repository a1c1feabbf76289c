import type { CommandContext } from '../registry';
import { FenceHandlers } from './fence-handlers';

describe('host.fence (fencing by proxy)', () => {
  it("runs the fence agent against the other host's BMC and logs the call without the password", async () => {
    const logged: unknown[] = [];
    const ctx = { log: { warn: (...a: unknown[]) => logged.push(a) } } as unknown as CommandContext;
    const run = jest.fn(async () => ({
      ok: true,
      powerStatus: 'off' as const,
      detail: 'the BMC reports power off',
    }));
    const h = new FenceHandlers(run);
    const target = {
      agent: 'ipmilan' as const,
      address: '192.0.2.7',
      port: 623,
      username: 'admin',
      password: 'pw-secret',
      lanplus: true,
    };
    await expect(h.fence({ target, action: 'status' }, ctx)).resolves.toMatchObject({
      ok: true,
      powerStatus: 'off',
    });
    expect(run).toHaveBeenCalledWith(
      { address: '192.0.2.7', port: 623, username: 'admin', password: 'pw-secret', lanplus: true },
      'status',
      expect.any(AbortSignal),
    );
    expect(JSON.stringify(logged)).toContain('admin@192.0.2.7:623');
    expect(JSON.stringify(logged)).not.toContain('pw-secret');
  });
});
