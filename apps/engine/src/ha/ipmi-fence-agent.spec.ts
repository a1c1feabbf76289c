import { HostEntity } from '../hosts/host.entity';
import type { FenceAction, FenceRun } from '@kelpie/host-probe';
import { IpmiFenceAgent } from './ipmi-fence-agent';

const host = { id: 'h1', name: 'h1' } as HostEntity;

function agentAnswering(answers: Partial<Record<FenceAction, FenceRun>>) {
  const calls: FenceAction[] = [];
  const power = {
    configured: jest.fn(async () => true),
    power: jest.fn(async (_id: string, action: FenceAction) => {
      calls.push(action);
      return answers[action] ?? { ok: false, detail: 'no answer' };
    }),
  };
  const steps: string[] = [];
  return {
    agent: new IpmiFenceAgent(power as never),
    calls,
    steps,
    step: async (s: string) => void steps.push(s),
  };
}

describe('IPMI fence agent', () => {
  it('proves the host off only when a status query after the power off says off', async () => {
    const a = agentAnswering({
      off: { ok: true, powerStatus: 'off', detail: 'the BMC powered the host off and confirmed it' },
      status: { ok: true, powerStatus: 'off', detail: 'the BMC reports power off' },
    });
    const outcome = await a.agent.fence(host, new AbortController().signal, a.step);
    expect(outcome).toMatchObject({ ok: true, hostIsOff: true });
    expect(a.calls).toEqual(['off', 'status']);
    expect(a.steps).toEqual([
      'power off through its BMC (ipmilan)',
      'power off: the BMC powered the host off and confirmed it',
      'confirm power off: the BMC reports power off',
    ]);
  });

  it('a BMC still reporting power on (or not answering) proves nothing: the VMs stay unknown', async () => {
    const on = agentAnswering({
      off: { ok: true, powerStatus: 'off', detail: 'off' },
      status: { ok: true, powerStatus: 'on', detail: 'the BMC reports power on' },
    });
    expect(await on.agent.fence(host, new AbortController().signal, on.step)).toMatchObject({
      ok: false,
      hostIsOff: false,
      detail: expect.stringMatching(/not proven off \(the BMC reports power on\)/),
    });
    const silent = agentAnswering({});
    expect(await silent.agent.fence(host, new AbortController().signal, silent.step)).toMatchObject({
      hostIsOff: false,
    });
  });

  it('a BMC that did not answer the power off is not asked again to confirm: unreachable, at once', async () => {
    const dead = agentAnswering({
      off: { ok: false, field: 'address', detail: 'no IPMI answer from the BMC' },
      status: { ok: true, powerStatus: 'off', detail: 'must not be asked' },
    });
    expect(await dead.agent.fence(host, new AbortController().signal, dead.step)).toMatchObject({
      ok: false,
      hostIsOff: false,
      detail: expect.stringMatching(/BMC is unreachable \(no IPMI answer from the BMC\)/),
    });
    expect(dead.calls).toEqual(['off']);
  });

  it('powers the host on again when asked to restore it', async () => {
    const a = agentAnswering({ on: { ok: true, powerStatus: 'on', detail: 'the BMC powered the host on' } });
    await a.agent.restore(host, new AbortController().signal, a.step);
    expect(a.calls).toEqual(['on']);
    expect(a.steps).toEqual(['power on: the BMC powered the host on']);
  });
});
