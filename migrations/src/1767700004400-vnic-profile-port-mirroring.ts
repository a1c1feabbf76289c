import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A vNIC profile may mirror its network's traffic to the VM NICs using it (an OVS mirror whose
 * output port is the NIC's port). */
export class VnicProfilePortMirroring1767700004400 implements MigrationInterface {
  name = 'VnicProfilePortMirroring1767700004400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vnic_profile" ADD "port_mirroring" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vnic_profile" DROP COLUMN "port_mirroring"`);
  }
}
