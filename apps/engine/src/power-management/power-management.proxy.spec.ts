import { HostStatus } from '@kelpie/shared-types';
import { AgentCommandError } from '../agents/agent-command.error';
import type { FenceProxyKind } from '../config/config.schema';
import { PowerManagementService } from './power-management.service';

const up = (id: string) => ({ id, name: id, status: HostStatus.Up });

function service(preference: FenceProxyKind[], send: jest.Mock) {
  const repo = {
    findOneBy: jest.fn(async () => ({
      hostId: 'target',
      address: '192.0.2.9',
      port: 623,
      username: 'admin',
      passwordSealed: 'sealed',
      lanplus: true,
      cipher: null,
    })),
  };
  const hosts = {
    factsOf: jest.fn(async () => ({ id: 'target', clusterId: 'c', datacenterId: 'd' })),
    inCluster: jest.fn(async () => [up('target'), up('p1'), up('p2'), up('p3')]),
    inDatacenter: jest.fn(async () => []),
  };
  const box = { open: () => 'pw' };
  const config = { fencing: { proxyPreference: preference } };
  return new PowerManagementService(
    config as never,
    { send } as never,
    repo as never,
    hosts as never,
    box as never,
    {} as never,
  );
}

describe('power calls by proxy', () => {
  it('asks the first proxy that can run the call, never the fenced host, and says who ran it', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new AgentCommandError({ code: 'not_delivered', message: 'no agent' }))
      .mockResolvedValueOnce({
        ok: false,
        missing: true,
        detail: 'fence_ipmilan is not installed on this machine',
      })
      .mockResolvedValueOnce({ ok: true, powerStatus: 'off', detail: 'the BMC reports power off' });
    const run = await service(['cluster'], send).power('target', 'status', new AbortController().signal);
    expect(send.mock.calls.map((c) => c[0])).toEqual(['p1', 'p2', 'p3']);
    expect(send.mock.calls[0][1]).toBe('host.fence');
    expect(send.mock.calls[0][2]).toMatchObject({
      action: 'status',
      target: { address: '192.0.2.9', password: 'pw' },
    });
    expect(run).toEqual({
      ok: true,
      powerStatus: 'off',
      detail: 'the BMC reports power off (run by host p3)',
    });
  });

  it("keeps a BMC's failure as the answer (no second proxy), and fails without runner when the engine is left out", async () => {
    const send = jest
      .fn()
      .mockResolvedValue({ ok: false, field: 'address', detail: 'no IPMI answer from the BMC' });
    const run = await service(['cluster'], send).power('target', 'off', new AbortController().signal);
    expect(send).toHaveBeenCalledTimes(1);
    expect(run).toMatchObject({
      ok: false,
      field: 'address',
      detail: 'no IPMI answer from the BMC (run by host p1)',
    });

    const none = jest
      .fn()
      .mockRejectedValue(new AgentCommandError({ code: 'command_lost', message: 'gone' }));
    const failed = await service(['cluster', 'dc'], none).power(
      'target',
      'off',
      new AbortController().signal,
    );
    expect(failed.ok).toBe(false);
    expect(failed.detail).toMatch(
      /no proxy could run fence_ipmilan off \(host p1, host p2, host p3 did not answer\).*leaves the engine out/,
    );
  });
});
