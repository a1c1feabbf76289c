import type { HostEntity } from '../hosts/host.entity';
import type { VmEntity } from '../vms/vm.entity';

export const MIGRATE_TASK = 'vm.migrate';
/** The source agent's `vm.migrate` job of a migration: an adopting engine re-attaches to it. */
export const migrationJobId = (taskId: string) => `${taskId}-migrate`;

export interface MigrationParties {
  vm: VmEntity;
  source: HostEntity;
  target: HostEntity;
}

export const isCancellation = (err: Error) => /^migration cancelled/i.test(err.message);
