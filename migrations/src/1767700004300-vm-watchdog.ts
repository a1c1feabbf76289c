import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An optional i6300esb watchdog per VM (its action when it expires); existing VMs have none. */
export class VmWatchdog1767700004300 implements MigrationInterface {
  name = 'VmWatchdog1767700004300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" ADD "watchdog_action" character varying(16)`);
    await q.query(
      `ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_watchdog_action" CHECK ("watchdog_action" IN ('reset', 'poweroff', 'pause', 'none'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_watchdog_action"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "watchdog_action"`);
  }
}
