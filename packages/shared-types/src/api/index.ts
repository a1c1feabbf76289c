export * from './common';
export * from './console';
export * from './inventory';
export * from './stream';
export * from './tasks';
export * from './migration';
export * from './stats';
export * from './gc';
export * from './auth';
export * from './host-network';
export * from './power-management';
export * from './ha';
export * from './scheduling';
export * from './schedules';
// The engine's published contract, generated from docs/openapi.json (pnpm gen:api): the portal's
// typed client is built on these; hand-written names above stay for the agent protocol and the engine.
export type {
  components as ApiComponents,
  operations as ApiOperations,
  paths as ApiPaths,
} from './openapi.gen';
