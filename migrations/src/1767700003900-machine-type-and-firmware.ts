import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Machine type (pc / q35) and firmware (BIOS / UEFI, Secure Boot) per VM, with the cluster's defaults
 * for new VMs. Existing VMs keep what they always were: pc with BIOS. */
export class MachineTypeAndFirmware1767700003900 implements MigrationInterface {
  name = 'MachineTypeAndFirmware1767700003900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vm" ADD "machine_type" character varying(16) NOT NULL DEFAULT 'pc'`);
    await q.query(`ALTER TABLE "vm" ADD "firmware" character varying(16) NOT NULL DEFAULT 'bios'`);
    await q.query(`ALTER TABLE "vm" ADD "secure_boot" boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_machine_type" CHECK ("machine_type" IN ('pc', 'q35'))`,
    );
    await q.query(`ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_firmware" CHECK ("firmware" IN ('bios', 'uefi'))`);
    await q.query(
      `ALTER TABLE "vm" ADD CONSTRAINT "ck_vm_secure_boot" CHECK (NOT "secure_boot" OR ("firmware" = 'uefi' AND "machine_type" = 'q35'))`,
    );
    await q.query(
      `ALTER TABLE "cluster" ADD "default_machine_type" character varying(16) NOT NULL DEFAULT 'pc'`,
    );
    await q.query(
      `ALTER TABLE "cluster" ADD "default_firmware" character varying(16) NOT NULL DEFAULT 'bios'`,
    );
    await q.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster_default_machine_type" CHECK ("default_machine_type" IN ('pc', 'q35'))`,
    );
    await q.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster_default_firmware" CHECK ("default_firmware" IN ('bios', 'uefi'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster_default_firmware"`);
    await q.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster_default_machine_type"`);
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "default_firmware"`);
    await q.query(`ALTER TABLE "cluster" DROP COLUMN "default_machine_type"`);
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_secure_boot"`);
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_firmware"`);
    await q.query(`ALTER TABLE "vm" DROP CONSTRAINT "ck_vm_machine_type"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "secure_boot"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "firmware"`);
    await q.query(`ALTER TABLE "vm" DROP COLUMN "machine_type"`);
  }
}
