import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The order in which HA VMs are restarted on other hosts after their host is fenced or confirmed
 * rebooted (higher first). Existing VMs get the middle value. */
export class VmHaPriority1767700001400 implements MigrationInterface {
  name = 'VmHaPriority1767700001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" ADD "ha_priority" smallint NOT NULL DEFAULT 50`);
    await q.query(
      `ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_ha_priority" CHECK ("ha_priority" BETWEEN 0 AND 100)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_ha_priority"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "ha_priority"`);
  }
}
