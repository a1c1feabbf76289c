export {
  detectVirtualization,
  probeVirtualization,
  probeVirtualizationUncached,
  resetVirtualizationCache,
} from './detect-virtualization';
export type { VirtualizationMode, VirtualizationProbe, DetectOptions } from './detect-virtualization';
export { runProbeGuest } from './probe-guest';
export type { Accelerator, ProbeGuestOptions, ProbeGuestResult } from './probe-guest';
export { buildProbeBootSector, stagesReached, PROBE_STAGES, PROBE_STAGE_MEANING } from './boot-sector';
export type { ProbeStage } from './boot-sector';
