import type { Vm } from '@kelpie/shared-types';
import { MigrationProgressView } from './MigrationProgress';
import { useRunningMigration } from './useMigration';

/** The VM page's view of its running migration (also after the migrate dialog was closed). */
export function RunningMigration({ vm }: { vm: Pick<Vm, 'id' | 'name' | 'status'> }) {
  const { data } = useRunningMigration(vm.id, vm.status === 'migrating_from');
  if (!data) return null;
  return (
    <section className="panel" aria-labelledby="vm-migration">
      <h2 id="vm-migration">Migration in progress</h2>
      <MigrationProgressView vm={vm} taskId={data.id} />
    </section>
  );
}
