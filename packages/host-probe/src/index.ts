export {
  detectVirtualization,
  probeVirtualization,
  probeVirtualizationUncached,
  resetVirtualizationCache,
  KVM_PROBE_RUNS,
} from './detect-virtualization';
export type { VirtualizationMode, VirtualizationProbe, DetectOptions } from './detect-virtualization';
export { runProbeGuest } from './probe-guest';
export type { Accelerator, ProbeGuestOptions, ProbeGuestResult } from './probe-guest';
export { buildProbeBootSector, stagesReached, PROBE_STAGES, PROBE_STAGE_MEANING } from './boot-sector';
export type { ProbeStage } from './boot-sector';
export {
  runFenceIpmilan,
  fenceAgentInput,
  interpretFenceOutput,
  ipmitoolEnvWrapper,
  FENCE_IPMILAN,
  FENCE_CALL_TIMEOUT_MS,
  FENCE_IPMILAN_TIMEOUTS,
  IPMITOOL_ENV_WRAPPER,
} from './fence-ipmilan';
export type { FenceAction, FenceRun, IpmiTarget } from './fence-ipmilan';
