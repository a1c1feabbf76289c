export * from './xml';
export * from './domain-xml';
export * from './domain-snapshot';
export * from './capabilities';
export * from './cpu-modes';
