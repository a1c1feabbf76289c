export { Lab } from './lab';
export type { LabSshAccess } from './host-sshd';
export type { LabBmc, BmcOptions, BmcCall } from './bmc';
export type { HostStatus, LabStatus, UpOptions, SpawnInHostOptions, StartAgentsOptions } from './lab';
export {
  resolveLabConfig,
  hostLayout,
  parseHostRef,
  DEFAULT_LAB_NAME,
  DEFAULT_SUBNET,
  SHARED_POOL_NAME,
} from './lab-config';
export type { LabOptions, LabConfig, HostLayout, ForwardSpec } from './lab-config';
export { ensureDebianPackages, missingDebianPackages, LAB_DEBIAN_PACKAGES } from './debian-packages';
export { run, runOrThrow, waitFor } from './process-runner';
export { CephCluster } from './ceph';
export type { CephOptions, CephStatus } from './ceph';
export type { RunResult } from './process-runner';
export { virsh, virshOrThrow, listDomains } from './virsh';
export {
  testGuest,
  GUEST_READY_LINE,
  GUEST_HEARTBEAT_PREFIX,
  parseHeartbeats,
} from './test-guest/test-guest';
export type { TestGuest } from './test-guest/test-guest';
export { testGuestDomainXml } from './test-guest/domain-xml';
export type { TestGuestDomainOptions } from './test-guest/domain-xml';
export { writePlaceholderTls } from './host-tls-placeholder';
