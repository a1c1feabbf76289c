export * from './host-networking';
export * from './ip-runner';
export * from './network-store';
export * from './ovs-state';
