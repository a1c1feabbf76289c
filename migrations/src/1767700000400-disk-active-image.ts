import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The image a disk's VM writes to when it is not the disk's own volume: the overlay an external
 * snapshot put on top of it. Without it a domain that disappeared (destroyed behind Kelpie's back, a
 * transient domain) was redefined on the base volume, silently dropping what was written since the
 * snapshot. Existing disks start without one (their overlays are learnt at the next snapshot change). */
export class DiskActiveImage1767700000400 implements MigrationInterface {
  name = 'DiskActiveImage1767700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "disk" ADD "active_image_path" character varying(1024)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "disk" DROP COLUMN "active_image_path"`);
  }
}
