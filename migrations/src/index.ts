import type { MigrationInterface } from 'typeorm';
import { Inventory1767225600000 } from './1767225600000-inventory';

/** Every migration, oldest first. The engine runs the pending ones at boot (`migrationsRun`). */
export const migrations: (new () => MigrationInterface)[] = [Inventory1767225600000];
