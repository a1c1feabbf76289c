import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the host's definition of each VM NIC was last made from (the spec sent with update-nic or
 * domiftune): a start re-sends a NIC only when its records say something else; null: not known yet. */
export class NicDefinedSpec1767700003100 implements MigrationInterface {
  name = 'NicDefinedSpec1767700003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "nic" ADD "defined_spec" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "nic" DROP COLUMN "defined_spec"`);
  }
}
