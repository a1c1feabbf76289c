export * from './virsh-error';
export * from './virsh-runner';
export * from './line-stream';
export * from './virsh-session';
export * from './virsh-session-pool';
