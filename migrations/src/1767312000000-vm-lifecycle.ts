import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * VM lifecycle: how a VM boots (`boot`: disk | cdrom | direct kernel with kernel/initrd/
 * cmdline paths) and the ISO in its CD-ROM drive. Both nullable: definition-only VMs made before
 * this migration boot from disk with an empty drive.
 */
export class VmLifecycle1767312000000 implements MigrationInterface {
  name = 'VmLifecycle1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" ADD "boot" jsonb`);
    await q.query(`ALTER TABLE "vm" ADD "cdrom_iso_path" character varying(1024)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" DROP COLUMN "cdrom_iso_path"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "boot"`);
  }
}
