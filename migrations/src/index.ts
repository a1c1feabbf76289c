import type { MigrationInterface } from 'typeorm';
import { Inventory1767225600000 } from './1767225600000-inventory';
import { VmGraphicsPort1767312000008 } from './1767312000008-vm-graphics-port';
import { VmLifecycle1767312000000 } from './1767312000000-vm-lifecycle';
import { VmMigration1767400000000 } from './1767400000000-vm-migration';
import { TaskLocks1767500000000 } from './1767500000000-task-locks';
import { DiskProvisioned1767600000005 } from './1767600000005-disk-provisioned';

/** Every migration, oldest first. The engine runs the pending ones at boot (`migrationsRun`). */
export const migrations: (new () => MigrationInterface)[] = [
  Inventory1767225600000,
  VmLifecycle1767312000000,
  VmGraphicsPort1767312000008,
  VmMigration1767400000000,
  TaskLocks1767500000000,
  DiskProvisioned1767600000005,
];
