import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The live VNC port the VM's host reports (null when not running or without VNC); the
 * console proxy connects to host.address + this port, never to a target chosen by a client. */
export class VmGraphicsPort1767312000008 implements MigrationInterface {
  name = 'VmGraphicsPort1767312000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" ADD "graphics_port" integer`);
    await q.query(
      `ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_graphics_port" CHECK ("graphics_port" BETWEEN 1 AND 65535)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_graphics_port"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "graphics_port"`);
  }
}
