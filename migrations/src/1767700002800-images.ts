import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Images of a storage domain: its ISO library and disk images being uploaded (resumable: the row
 * keeps how many bytes the host has written). */
export class Images1767700002800 implements MigrationInterface {
  name = 'Images1767700002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "image" (
      "id" uuid NOT NULL,
      "storage_domain_id" uuid NOT NULL,
      "name" character varying(255) NOT NULL,
      "kind" character varying(8) NOT NULL,
      "format" character varying(8) NOT NULL,
      "size_bytes" bigint NOT NULL,
      "received_bytes" bigint NOT NULL DEFAULT 0,
      "virtual_size_bytes" bigint,
      "sha256" character varying(64),
      "status" character varying(16) NOT NULL DEFAULT 'uploading',
      "volume_name" character varying(128) NOT NULL,
      "path" character varying(1024),
      "host_id" uuid,
      "created_by" character varying(255) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_image" PRIMARY KEY ("id"),
      CONSTRAINT "uq_image_storage_domain_name" UNIQUE ("storage_domain_id", "name"),
      CONSTRAINT "uq_image_storage_domain_volume" UNIQUE ("storage_domain_id", "volume_name"),
      CONSTRAINT "ck_image_kind" CHECK ("kind" IN ('iso', 'disk')),
      CONSTRAINT "ck_image_format" CHECK ("format" IN ('iso', 'raw', 'qcow2')),
      CONSTRAINT "ck_image_status" CHECK ("status" IN ('uploading', 'ready')),
      CONSTRAINT "ck_image_received" CHECK ("received_bytes" BETWEEN 0 AND "size_bytes"),
      CONSTRAINT "fk_image_storage_domain" FOREIGN KEY ("storage_domain_id") REFERENCES "storage_domain"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
      CONSTRAINT "fk_image_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "image"`);
  }
}
