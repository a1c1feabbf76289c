import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity and access: users, groups, roles granted on objects of the tree, browser sessions and API
 * tokens (secrets stored hashed), and the authenticated actor of each audit event. */
export class Auth1767700000600 implements MigrationInterface {
  name = 'Auth1767700000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL, "username" character varying(64) NOT NULL, "display_name" character varying(128), "password_hash" text, "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "password_changed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_app_user_username" UNIQUE ("username"), CONSTRAINT "pk_app_user" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "user_group" ("id" uuid NOT NULL, "name" character varying(128) NOT NULL, CONSTRAINT "uq_user_group_name" UNIQUE ("name"), CONSTRAINT "pk_user_group" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "group_member" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "pk_group_member" PRIMARY KEY ("group_id", "user_id"))`,
    );
    await q.query(
      `CREATE TABLE "role" ("id" uuid NOT NULL, "name" character varying(64) NOT NULL, "permissions" text array NOT NULL, "builtin" boolean NOT NULL DEFAULT false, CONSTRAINT "uq_role_name" UNIQUE ("name"), CONSTRAINT "pk_role" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "role_grant" ("id" uuid NOT NULL, "principal_type" character varying(8) NOT NULL, "principal_id" uuid NOT NULL, "role_id" uuid NOT NULL, "object_type" character varying(32) NOT NULL, "object_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_role_grant_object_type" CHECK ("object_type" IN ('system', 'datacenter', 'cluster', 'host', 'storage_domain', 'network', 'vm')), CONSTRAINT "ck_role_grant_principal_type" CHECK ("principal_type" IN ('user', 'group')), CONSTRAINT "pk_role_grant" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_role_grant_object" ON "role_grant"("object_type", "object_id") `);
    await q.query(
      `CREATE INDEX "ix_role_grant_principal" ON "role_grant"("principal_type", "principal_id") `,
    );
    await q.query(
      `CREATE TABLE "user_session" ("token_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_address" character varying(64), CONSTRAINT "pk_user_session" PRIMARY KEY ("token_hash"))`,
    );
    await q.query(`CREATE INDEX "ix_user_session_user" ON "user_session"("user_id") `);
    await q.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "name" character varying(128) NOT NULL, "secret_hash" character(64) NOT NULL, "scope" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_api_token_scope" CHECK ("scope" IN ('read-only', 'roles')), CONSTRAINT "pk_api_token" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_api_token_user" ON "api_token"("user_id") `);
    await q.query(`ALTER TABLE "event" ADD "actor" jsonb`);
    await q.query(
      `ALTER TABLE "group_member" ADD CONSTRAINT "fk_group_member_group" FOREIGN KEY ("group_id") REFERENCES "user_group"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "group_member" ADD CONSTRAINT "fk_group_member_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "role_grant" ADD CONSTRAINT "fk_role_grant_role" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "user_session" ADD CONSTRAINT "fk_user_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "fk_api_token_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "event" DROP COLUMN "actor"`);
    await q.query(`DROP TABLE "api_token"`);
    await q.query(`DROP TABLE "user_session"`);
    await q.query(`DROP TABLE "role_grant"`);
    await q.query(`DROP TABLE "role"`);
    await q.query(`DROP TABLE "group_member"`);
    await q.query(`DROP TABLE "user_group"`);
    await q.query(`DROP TABLE "app_user"`);
  }
}
