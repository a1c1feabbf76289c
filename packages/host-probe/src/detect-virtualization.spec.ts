import { KVM_PROBE_RUNS, probeVirtualizationUncached } from './detect-virtualization';
import { ProbeGuestResult, runProbeGuest } from './probe-guest';

jest.mock('./probe-guest');
const runGuest = jest.mocked(runProbeGuest);

function guest(completed: boolean): ProbeGuestResult {
  return {
    accel: 'kvm',
    serialOutput: completed ? 'RPLMK' : 'RPL',
    stages: completed ? ['R', 'P', 'L', 'M', 'K'] : ['R', 'P', 'L'],
    completed,
    elapsedMs: completed ? 40 : 5000,
    diagnostics: '',
  };
}

describe('probeVirtualizationUncached', () => {
  // /dev/null is readable and writable, so it stands in for an accessible /dev/kvm.
  beforeEach(() => runGuest.mockReset());

  it('trusts KVM only after every probe guest completed', async () => {
    runGuest.mockResolvedValue(guest(true));
    const probe = await probeVirtualizationUncached({ kvmDevice: '/dev/null' });
    expect(probe.mode).toBe('kvm');
    expect(probe.kvmCompletions).toBe(KVM_PROBE_RUNS);
    expect(runGuest).toHaveBeenCalledTimes(KVM_PROBE_RUNS);
  });

  it('falls back to TCG when a later guest stalls, saying how many completed before it', async () => {
    runGuest.mockResolvedValueOnce(guest(true)).mockResolvedValueOnce(guest(false));
    const probe = await probeVirtualizationUncached({ kvmDevice: '/dev/null' });
    expect(probe).toMatchObject({ mode: 'tcg', kvmCompletions: 1 });
    expect(probe.reason).toMatch(/after 1 that completed/);
    expect(runGuest).toHaveBeenCalledTimes(2);
  });

  it('stops at the first stalled guest', async () => {
    runGuest.mockResolvedValue(guest(false));
    const probe = await probeVirtualizationUncached({ kvmDevice: '/dev/null' });
    expect(probe).toMatchObject({ mode: 'tcg', kvmCompletions: 0 });
    expect(probe.reason).toMatch(/did not complete.*stalled/);
    expect(runGuest).toHaveBeenCalledTimes(1);
  });

  it('does not start a guest without an accessible device', async () => {
    const probe = await probeVirtualizationUncached({ kvmDevice: '/nonexistent/kvm' });
    expect(probe.mode).toBe('tcg');
    expect(runGuest).not.toHaveBeenCalled();
  });
});
