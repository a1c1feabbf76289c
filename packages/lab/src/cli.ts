#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { Lab } from './lab';
import { LabOptions } from './lab-config';
import { testGuest } from './test-guest/test-guest';

interface LabFlags {
  name?: string;
  subnet?: number;
  stateDir?: string;
}

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('not an integer');
  return n;
};

const labOf = (flags: LabFlags): Promise<Lab> => {
  const options: LabOptions = { name: flags.name, subnet: flags.subnet, stateDir: flags.stateDir };
  if (process.env.KELPIE_LAB_FORWARD_POSTGRES === '1') options.forwards = [{ port: 6379 }, { port: 5432 }];
  return Lab.open(options);
};

const withLabFlags = (command: Command): Command =>
  command
    .option('--name <name>', 'lab name, [a-z0-9]{1,4}', 'kl')
    .option('--subnet <octet>', "third octet of 10.X.0.0/24 (default 77, or the running lab's)", integer)
    .option('--state-dir <dir>', 'default /var/lib/kelpie-lab/<name>');

const log = (line: string): void => console.log(line);

const program = new Command('kelpie-lab').description(
  'Several real libvirt hosts on one machine (network + mount namespaces)',
);

withLabFlags(
  program.command('up [count]').description('bring hosts h1..hN up (idempotent, repairs leftovers)'),
)
  .option('--no-install', 'do not install missing Debian packages')
  .option('--ceph', 'also run a single-node Ceph cluster on the bridge address (pool and cephx user kelpie)')
  .action(async (count: string | undefined, flags: LabFlags & { install: boolean; ceph?: boolean }) => {
    const started = Date.now();
    const lab = await labOf(flags);
    const status = await lab.up(count ? integer(count) : 3, { installPackages: flags.install, log });
    for (const h of status.hosts) console.log(`${h.name}\t${h.uri}\tlibvirtd ${h.libvirtdPid ?? 'down'}`);
    for (const f of status.forwarders) console.log(`forward ${f.listen} → ${f.target}`);
    if (flags.ceph) {
      const ceph = await lab.ceph().up();
      // The key itself stays in its keyring (0600 under the lab's state directory), never on a terminal.
      console.log(`ceph monitor ${ceph.monitor} pool ${ceph.pool} user ${ceph.user} keyring ${ceph.keyring}`);
    }
    console.log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

withLabFlags(
  program.command('down').description('remove every namespace, link, process and file of the lab'),
).action(async (flags: LabFlags) => {
  await (await labOf(flags)).down({ log });
});

withLabFlags(program.command('status').description('hosts, addresses, daemons'))
  .option('--json', 'machine-readable')
  .action(async (flags: LabFlags & { json?: boolean }) => {
    const status = await (await labOf(flags)).status();
    if (flags.json) {
      console.log(JSON.stringify(status, null, 2));
      return;
    }
    console.log(
      `lab ${status.name}: bridge ${status.bridge} ${status.bridgeIp}/24, shared ${status.sharedDir}`,
    );
    for (const h of status.hosts) {
      console.log(
        `${h.name}\t${h.ip}\t${h.uri}\tlibvirtd ${h.libvirtdAlive ? h.libvirtdPid : 'DOWN'}\tagent ${h.agentPid ?? '-'}`,
      );
    }
    for (const f of status.forwarders)
      console.log(`forward ${f.listen} → ${f.target}\t${f.alive ? f.pid : 'DOWN'}`);
  });

program
  .command('guest')
  .description('build (once, cached) and print the test guest kernel and initrd paths')
  .option('--json', 'machine-readable')
  .action(async (flags: { json?: boolean }) => {
    const guest = await testGuest({ log });
    console.log(flags.json ? JSON.stringify(guest) : `kernel ${guest.kernel}\ninitrd ${guest.initrd}`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
