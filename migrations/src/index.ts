import type { MigrationInterface } from 'typeorm';

/** Every migration, oldest first. The engine runs the pending ones at boot (`migrationsRun`). */
export const migrations: (new () => MigrationInterface)[] = [];
