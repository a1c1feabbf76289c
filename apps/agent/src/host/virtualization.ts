import { probeVirtualization } from '@kelpie/host-probe';

export interface VirtualizationResult {
  virtualization: 'kvm' | 'tcg';
  reason: string;
}

export type VirtualizationDetector = () => Promise<VirtualizationResult>;

/** KVM only when @kelpie/host-probe boots a real probe guest under KVM (/dev/kvm alone proves
 * nothing on these machines); `kvm`/`tcg` in the config force the answer. */
export function virtualizationDetector(mode: 'probe' | 'kvm' | 'tcg'): VirtualizationDetector {
  if (mode !== 'probe') {
    return async () => ({ virtualization: mode, reason: `forced by KELPIE_VIRTUALIZATION=${mode}` });
  }
  return async () => {
    try {
      const p = await probeVirtualization();
      return { virtualization: p.mode, reason: p.reason };
    } catch (e) {
      return { virtualization: 'tcg', reason: `virtualization probe failed: ${(e as Error).message}` };
    }
  };
}
