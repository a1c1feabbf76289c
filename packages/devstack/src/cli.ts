#!/usr/bin/env node
import { CREDENTIALS_FILE, devCredentials } from './credentials';
import { Lab } from '@kelpie/lab';
import { Command } from 'commander';
import { ensureDatabase } from './database';
import { engineHealthy, ensureEngine, stopEngine } from './engine-process';
import { ensureFleet } from './fleet';
import { waitForHostsUp } from './readiness';
import { DATABASE_NAME, ENGINE_URL, LAB_HOSTS, LAB_NAME, LAB_SUBNET } from './settings';

const log = (line: string): void => console.log(`[kelpie] ${line}`);
const program = new Command('kelpie-devstack').description('The whole Kelpie platform on this machine');

program
  .command('up')
  .description(
    'lab hosts, engine, hosts enrolled over SSH (agents installed by the engine), portal — idempotent',
  )
  .action(async () => {
    const since = new Date();
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET, sharedPool: false });
    const status = await lab.up(LAB_HOSTS, { log });
    await ensureDatabase();
    await ensureEngine(log, { agentRedisUrl: `redis://${status.bridgeIp}:6379` });
    // Agents started by hand by earlier versions of this script: enrollment installs them now.
    for (const h of status.hosts) if (h.agentPid) await lab.stopAgent(h.name);
    const hosts = await ensureFleet(lab, log);
    // Ready means usable: the engine has heard every host since it (re)started, not just "running".
    const late = await waitForHostsUp(hosts, since, log);
    if (late.length) {
      for (const h of late)
        log(`host ${h.name} is NOT Up: ${h.status}${h.statusReason ? ` (${h.statusReason})` : ''}`);
      throw new Error(
        `Kelpie is running at ${ENGINE_URL}/ but ${late.length} lab host(s) are not Up; see the agent logs`,
      );
    }
    log(`Kelpie is up: ${ENGINE_URL}/ (all ${hosts.length} lab hosts Up)`);
    const c = devCredentials();
    log(`log in as "${c.username}" with the password in ${CREDENTIALS_FILE} (API token there too)`);
  });

program
  .command('down')
  .description('stop agents, engine and lab hosts; the database and the VM disks are kept')
  .option('--delete-storage', "also delete the lab's shared storage: every VM disk on it is lost")
  .action(async (flags: { deleteStorage?: boolean }) => {
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET, sharedPool: false });
    const { sharedDir } = await lab.status();
    log(
      `stopping the engine, the agents and the lab hosts (their running VMs are powered off, ` +
        `their libvirt definitions removed; the engine re-defines a VM when it is started again)`,
    );
    log(`database '${DATABASE_NAME}' is kept`);
    if (flags.deleteStorage)
      log(`DELETING the lab's shared storage ${sharedDir}: the disks of all VMs on it are lost`);
    else log(`VM disks in ${sharedDir} are kept (scripts/down.sh --delete-storage removes them)`);
    await stopEngine(log);
    await lab.down({ log, keepSharedStorage: !flags.deleteStorage });
  });

program
  .command('status')
  .description('what runs')
  .action(async () => {
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET, sharedPool: false });
    const status = await lab.status();
    for (const h of status.hosts)
      log(`${h.name} ${h.uri} libvirtd ${h.libvirtdAlive ? 'up' : 'down'} agent ${h.agentPid ?? 'none'}`);
    log(`engine ${(await engineHealthy()) ? 'healthy' : 'not running'} at ${ENGINE_URL}`);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
