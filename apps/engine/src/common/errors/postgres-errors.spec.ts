import { QueryFailedError } from 'typeorm';
import { fromPostgresError, keyColumns } from './postgres-errors';

const pgError = (driverError: Record<string, string>) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error(driverError.message ?? 'pg'), driverError));

describe('Postgres errors → API errors', () => {
  it('reads the key columns of a constraint detail as API field names', () => {
    expect(keyColumns('Key (datacenter_id, name)=(x, y) already exists.')).toEqual(['datacenterId', 'name']);
    expect(keyColumns(undefined)).toEqual([]);
  });

  it('unique violation → 409 conflict naming the last key column', () => {
    const e = fromPostgresError(
      pgError({
        code: '23505',
        table: 'vm',
        constraint: 'uq_vm_datacenter_name',
        detail: 'Key (datacenter_id, name)=(a, b) already exists.',
      }),
    );
    expect(e).toMatchObject({ code: 'conflict', details: [{ field: 'name' }] });
  });

  it('foreign key: missing parent → not_found, still referenced → has_children', () => {
    expect(
      fromPostgresError(
        pgError({ code: '23503', detail: 'Key (cluster_id)=(x) is not present in table "cluster".' }),
      ),
    ).toMatchObject({ code: 'not_found', details: [{ field: 'clusterId' }] });
    expect(
      fromPostgresError(
        pgError({ code: '23503', detail: 'Key (id)=(x) is still referenced from table "vm".' }),
      ),
    ).toMatchObject({ code: 'has_children' });
  });

  it('bad values (NUL bytes, checks, ranges) → validation_failed; anything else is not mapped', () => {
    for (const code of ['22021', '22P05', '23514', '22003', '22001']) {
      expect(fromPostgresError(pgError({ code }))?.code).toBe('validation_failed');
    }
    expect(fromPostgresError(pgError({ code: '57014' }))).toBeUndefined();
  });
});
