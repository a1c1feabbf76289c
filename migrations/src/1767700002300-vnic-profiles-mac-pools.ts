import type { MigrationInterface, QueryRunner } from 'typeorm';

const NAME = `~ '^[A-Za-z0-9_.-]{1,64}$'`;
const RATE_MAX = 16777216;
const BURST_MAX = 1048576;

/** A direction's QoS: all null, or an average with optional peak (≥ average) and burst. */
const qosChecks = (dir: 'inbound' | 'outbound') => `
      CONSTRAINT "ck_vnic_profile_${dir}" CHECK (
        ("${dir}_average_kibps" IS NULL AND "${dir}_peak_kibps" IS NULL AND "${dir}_burst_kib" IS NULL)
        OR ("${dir}_average_kibps" BETWEEN 1 AND ${RATE_MAX}
          AND ("${dir}_peak_kibps" IS NULL OR "${dir}_peak_kibps" BETWEEN "${dir}_average_kibps" AND ${RATE_MAX})
          AND ("${dir}_burst_kib" IS NULL OR "${dir}_burst_kib" BETWEEN 1 AND ${BURST_MAX})))`;

/**
 * vNIC profiles (how a NIC attaches to a network: its QoS) and MAC pools per datacenter. Every
 * existing network gets its default profile (no QoS, named like the network) and every NIC attaches
 * to its network's default profile; every datacenter gets the pool NICs were drawn from until now
 * (QEMU's prefix 52:54:00, any suffix).
 */
export class VnicProfilesMacPools1767700002300 implements MigrationInterface {
  name = 'VnicProfilesMacPools1767700002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "vnic_profile" (
      "name" character varying(64) NOT NULL,
      "description" character varying(1024) NOT NULL DEFAULT '',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "id" uuid NOT NULL,
      "network_id" uuid NOT NULL,
      "is_default" boolean NOT NULL DEFAULT false,
      "inbound_average_kibps" integer,
      "inbound_peak_kibps" integer,
      "inbound_burst_kib" integer,
      "outbound_average_kibps" integer,
      "outbound_peak_kibps" integer,
      "outbound_burst_kib" integer,
      CONSTRAINT "pk_vnic_profile" PRIMARY KEY ("id"),
      CONSTRAINT "uq_vnic_profile_network_name" UNIQUE ("network_id", "name"),
      CONSTRAINT "ck_vnic_profile_name" CHECK ("name" ${NAME}),${qosChecks('inbound')},${qosChecks('outbound')},
      CONSTRAINT "fk_vnic_profile_network" FOREIGN KEY ("network_id") REFERENCES "logical_network"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(
      `CREATE UNIQUE INDEX "ux_vnic_profile_default" ON "vnic_profile" ("network_id") WHERE "is_default"`,
    );
    await q.query(`INSERT INTO "vnic_profile" ("id", "network_id", "name", "description", "is_default")
      SELECT gen_random_uuid(), "id", "name", 'default profile of the network (no QoS)', true FROM "logical_network"`);

    await q.query(`ALTER TABLE "nic" ADD "profile_id" uuid`);
    await q.query(`UPDATE "nic" SET "profile_id" = p."id" FROM "vnic_profile" p
      WHERE p."network_id" = "nic"."network_id" AND p."is_default"`);
    await q.query(`ALTER TABLE "nic" ALTER COLUMN "profile_id" SET NOT NULL`);
    await q.query(
      `ALTER TABLE "nic" ADD CONSTRAINT "fk_nic_profile" FOREIGN KEY ("profile_id") REFERENCES "vnic_profile"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(`CREATE INDEX "ix_nic_profile" ON "nic" ("profile_id")`);
    await q.query(`ALTER TABLE "nic" ADD "link_up" boolean NOT NULL DEFAULT true`);

    await q.query(`CREATE TABLE "mac_pool" (
      "id" uuid NOT NULL,
      "datacenter_id" uuid NOT NULL,
      "name" character varying(64) NOT NULL,
      "ranges" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_mac_pool" PRIMARY KEY ("id"),
      CONSTRAINT "uq_mac_pool_datacenter" UNIQUE ("datacenter_id"),
      CONSTRAINT "ck_mac_pool_name" CHECK ("name" ${NAME}),
      CONSTRAINT "fk_mac_pool_datacenter" FOREIGN KEY ("datacenter_id") REFERENCES "datacenter"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`INSERT INTO "mac_pool" ("id", "datacenter_id", "name", "ranges")
      SELECT gen_random_uuid(), "id", 'default', '[{"from":"52:54:00:00:00:00","to":"52:54:00:ff:ff:ff"}]'::jsonb FROM "datacenter"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "mac_pool"`);
    await q.query(`ALTER TABLE "nic" DROP COLUMN "link_up"`);
    await q.query(`DROP INDEX "ix_nic_profile"`);
    await q.query(`ALTER TABLE "nic" DROP CONSTRAINT "fk_nic_profile"`);
    await q.query(`ALTER TABLE "nic" DROP COLUMN "profile_id"`);
    await q.query(`DROP TABLE "vnic_profile"`);
  }
}
