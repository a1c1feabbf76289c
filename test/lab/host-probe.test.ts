import { existsSync } from 'node:fs';
import { detectVirtualization, probeVirtualization, runProbeGuest } from '@kelpie/host-probe';

/** The real probe on this machine: no hard-coded answer, only consistency with an independent run. */
jest.setTimeout(60000);

describe('host-probe (real QEMU)', () => {
  it('boots the probe guest to completion under TCG (so a KVM failure means KVM, not the probe)', async () => {
    const run = await runProbeGuest({ accel: 'tcg', timeoutMs: 20000 });
    expect(run.serialOutput).toBe('RPLMK');
    expect(run.completed).toBe(true);
  });

  it('says kvm exactly when a KVM guest really runs here', async () => {
    const probe = await probeVirtualization();
    expect(['kvm', 'tcg']).toContain(probe.mode);
    expect(probe.reason.length).toBeGreaterThan(0);
    expect(await detectVirtualization()).toBe(probe.mode); // cached, same answer

    if (!existsSync('/dev/kvm')) {
      expect(probe.mode).toBe('tcg');
      return;
    }
    const independent = await runProbeGuest({ accel: 'kvm' });
    expect(probe.mode === 'kvm').toBe(independent.completed);
    if (probe.mode === 'kvm') expect(probe.kvmGuest?.serialOutput).toContain('K');
    else expect(probe.kvmGuest?.completed).toBe(false);
  });
});
