/** One jest for the whole workspace: `unit` (colocated *.spec.ts, no services), `integration`
 * (test/**, real Postgres, Redis, libvirt) and `containers` (the tests that build images and run
 * containers on Kelpie's Docker daemon, testcontainers included: alone, after the others, so their
 * image builds do not starve the lab tests' libvirtd and guests). */
const CONTAINER_TESTS = [
  '<rootDir>/test/ops/compose-stack.test.ts',
  '<rootDir>/test/ops/postgres-majors.test.ts',
  // Its Redis is a testcontainers container (ADR 0064).
  '<rootDir>/test/faults/stream-resync.test.ts',
];
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@kelpie/shared-types$': '<rootDir>/packages/shared-types/src/index.ts',
  '^@kelpie/lab$': '<rootDir>/packages/lab/src/index.ts',
  '^@kelpie/host-probe$': '<rootDir>/packages/host-probe/src/index.ts',
  '^@kelpie/test-support$': '<rootDir>/packages/test-support/src/index.ts',
  '^@kelpie/engine/testing$': '<rootDir>/apps/engine/src/testing.ts',
  '^@kelpie/agent/testing$': '<rootDir>/apps/agent/src/testing/index.ts',
  '^@kelpie/web/vm-actions$': '<rootDir>/apps/web/src/vms/vmActions.ts',
  '^@kelpie/migrations$': '<rootDir>/migrations/src/index.ts',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(tsx?|jsx?|mjs)$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  // NestJS 12 and openid-client 6 (with its oauth4webapi and jose) ship ES modules only; jest on
  // Node 20 cannot require() them, so swc compiles them to CJS.
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm|@nestjs/|openid-client/|oauth4webapi/|jose/)'],
};
module.exports = {
  // Slow integration files start first, so neither worker is left with one at the end.
  testSequencer: '<rootDir>/test/support/slowest-first-sequencer.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,packages}/*/src/**/*.spec.ts',
        '<rootDir>/{apps,packages}/*/test/**/*.spec.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...CONTAINER_TESTS],
      setupFiles: ['<rootDir>/test/support/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
    },
    {
      ...common,
      displayName: 'containers',
      testMatch: CONTAINER_TESTS,
      setupFiles: ['<rootDir>/test/support/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'],
    },
  ],
};
