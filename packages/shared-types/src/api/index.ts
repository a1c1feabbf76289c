export * from './common';
export * from './inventory';
export * from './stream';
export * from './tasks';
