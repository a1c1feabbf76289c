export * from './common';
export * from './console';
export * from './inventory';
export * from './stream';
export * from './tasks';
export * from './migration';
export * from './stats';
export * from './gc';
