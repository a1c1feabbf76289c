export * from './enums';
export * from './errors';
export * from './health';
export * from './protocol';
export * from './api';
export * from './qemu';
export * from './status-text';
export * from './agent-host-files';
