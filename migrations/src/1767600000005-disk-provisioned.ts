import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a disk's volume was first created. A provisioned disk whose volume is missing must never be
 * re-created empty (that hid data loss). Existing disks all have a volume path and count as
 * provisioned: refusing to start a VM is recoverable, booting it from an empty disk is not. */
export class DiskProvisioned1767600000005 implements MigrationInterface {
  name = 'DiskProvisioned1767600000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "disk" ADD "provisioned_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "disk" SET "provisioned_at" = "created_at"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "disk" DROP COLUMN "provisioned_at"`);
  }
}
