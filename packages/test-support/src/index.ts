export * from './browser';
export * from './free-port';
export * from './sse';
export * from './auth';
export * from './tasks';
