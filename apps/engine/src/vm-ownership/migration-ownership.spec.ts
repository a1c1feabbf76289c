import { VmStatus } from '@kelpie/shared-types';
import type { MigrationFactsPort } from './migration-facts.port';
import { MigrationOwnership } from './migration-ownership';

const M = { id: 'm1', source_host_id: 'src', target_host_id: 'dst' };

/** The vm_migration row's two facts, recorded once each as the repository does. */
function fakeDb(initial: { target_running_at: Date | null; source_gone_at: Date | null }) {
  const row = { ...initial };
  const db = {
    recordFact: async (_id: string, fact: keyof typeof row) => ({
      ...row,
      [fact]: (row[fact] ??= new Date()),
    }),
  } as unknown as MigrationFactsPort;
  return { db, row };
}

describe('MigrationOwnership.sourceReleased (the source agent said vm.migrate succeeded)', () => {
  it('moves the VM to the target when the target already reported it running', async () => {
    const { db, row } = fakeDb({ target_running_at: new Date(), source_gone_at: null });
    const d = await new MigrationOwnership(db).sourceReleased(M);
    expect(row.source_gone_at).toBeInstanceOf(Date);
    expect(d.patch).toEqual({ status: VmStatus.Up, statusReason: 'migrated', hostId: 'dst' });
  });

  it('keeps it on the source until the target reports it running', async () => {
    const { db } = fakeDb({ target_running_at: null, source_gone_at: null });
    const d = await new MigrationOwnership(db).sourceReleased(M);
    expect(d.patch).toMatchObject({ status: VmStatus.MigratingFrom, hostId: 'src' });
  });
});
