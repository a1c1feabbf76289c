export * from './version';
export * from './queues';
export * from './command-spec';
export * from './commands';
export * from './reports';
export * from './domain';
export * from './agent-error';
