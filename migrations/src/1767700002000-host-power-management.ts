import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-host power management (a BMC reached by a fence agent); the password only sealed (AES-GCM). */
export class HostPowerManagement1767700002000 implements MigrationInterface {
  name = 'HostPowerManagement1767700002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "host_power_management" ("host_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "address" character varying(255) NOT NULL, "port" integer NOT NULL, "username" character varying(64) NOT NULL, "password_sealed" text NOT NULL, "lanplus" boolean NOT NULL DEFAULT true, "cipher" smallint, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_host_power_management_type" CHECK ("type" IN ('ipmilan')), CONSTRAINT "ck_host_power_management_port" CHECK ("port" BETWEEN 1 AND 65535), CONSTRAINT "pk_host_power_management" PRIMARY KEY ("host_id"))`,
    );
    await q.query(
      `ALTER TABLE "host_power_management" ADD CONSTRAINT "fk_host_power_management_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "host_power_management"`);
  }
}
