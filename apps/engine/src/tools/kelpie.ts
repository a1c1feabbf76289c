#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { migrations } from '@kelpie/migrations';
import { createBackup } from '../backup/backup';
import { restoreBackup } from '../backup/restore';
import { loadConfig } from '../config/config.schema';

const USAGE = `usage: kelpie backup --out DIR
       kelpie restore --from DIR [--replace-keys]

Reads the engine's configuration from the environment (KELPIE_DATABASE_URL, KELPIE_COMMAND_KEY_FILE,
KELPIE_REDIS_PREFIX …), as the engine does.
  backup   online and consistent: the database (pg_dump snapshot), the engine's keys, a manifest
  restore  into a new, empty database; then start the engine: it migrates and reconciles with the hosts`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { out: { type: 'string' }, from: { type: 'string' }, 'replace-keys': { type: 'boolean' } },
    strict: true,
  });
  const config = loadConfig(process.env);
  if (command === 'backup' && values.out) {
    const m = await createBackup(config, values.out);
    console.log(
      `backup written to ${values.out} (schema ${m.schemaVersion ?? 'empty'}, ${m.files.length} files)`,
    );
  } else if (command === 'restore' && values.from) {
    const m = await restoreBackup(config, values.from, {
      replaceKeys: values['replace-keys'],
      knownMigrations: migrations.map((c) => c.name),
    });
    console.log(
      `restored the backup of ${m.createdAt} (schema ${m.schemaVersion ?? 'empty'}); start the engine: it reconciles the inventory with the hosts`,
    );
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`kelpie: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
