import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hosts enrolled over SSH: the port and user enrollment used and the pinned host key (never the
 * credentials, which are used for the enrollment only). Registered hosts keep nulls. */
export class HostSsh1767700000500 implements MigrationInterface {
  name = 'HostSsh1767700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "host" ADD "ssh_port" integer`);
    await q.query(`ALTER TABLE "host" ADD "ssh_user" character varying(64)`);
    await q.query(`ALTER TABLE "host" ADD "ssh_host_key" text`);
    await q.query(`ALTER TABLE "host" ADD "ssh_host_key_fingerprint" character varying(128)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['ssh_host_key_fingerprint', 'ssh_host_key', 'ssh_user', 'ssh_port'])
      await q.query(`ALTER TABLE "host" DROP COLUMN "${c}"`);
  }
}
