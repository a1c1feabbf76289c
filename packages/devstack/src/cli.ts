#!/usr/bin/env node
import { Lab } from '@kelpie/lab';
import { Command } from 'commander';
import { join } from 'node:path';
import { ensureDatabase } from './database';
import { engineHealthy, ensureEngine, stopEngine } from './engine-process';
import { ensureFleet } from './fleet';
import { waitForHostsUp } from './readiness';
import {
  AGENT_ENTRY,
  DATABASE_NAME,
  ENGINE_URL,
  LAB_HOSTS,
  LAB_NAME,
  LAB_SUBNET,
  REDIS_PREFIX,
} from './settings';

const log = (line: string): void => console.log(`[kelpie] ${line}`);
const program = new Command('kelpie-devstack').description('The whole Kelpie platform on this machine');

program
  .command('up')
  .description('lab hosts, engine, agents, portal — idempotent')
  .action(async () => {
    const since = new Date();
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET });
    const status = await lab.up(LAB_HOSTS, { log });
    await ensureDatabase();
    await ensureEngine(log);
    const hosts = await ensureFleet(lab);
    const agents = await lab.startAgents({
      agentEntry: AGENT_ENTRY,
      env: (host) => {
        const registered = hosts.find((h) => h.labHost === host.name);
        if (!registered) throw new Error(`lab host ${host.name} is not registered in the engine`);
        return {
          KELPIE_HOST_ID: registered.id,
          KELPIE_REDIS_URL: `redis://${status.bridgeIp}:6379`,
          KELPIE_REDIS_PREFIX: REDIS_PREFIX,
          KELPIE_LIBVIRT_URI: 'qemu:///system',
          // Per host (hosts share the machine's /var/lib): the agent's command journal.
          KELPIE_STATE_DIR: join(lab.host(host.name).dir, 'agent-state'),
        };
      },
    });
    for (const a of agents)
      log(`agent on ${a.host}: pid ${a.pid}${a.started ? ' (started)' : ' (already running)'}`);
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
  });

program
  .command('down')
  .description('stop agents, engine and lab hosts; the database and the VM disks are kept')
  .option('--delete-storage', "also delete the lab's shared storage: every VM disk on it is lost")
  .action(async (flags: { deleteStorage?: boolean }) => {
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET });
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
    const lab = await Lab.open({ name: LAB_NAME, subnet: LAB_SUBNET });
    const status = await lab.status();
    for (const h of status.hosts)
      log(`${h.name} ${h.uri} libvirtd ${h.libvirtdAlive ? 'up' : 'down'} agent ${h.agentPid ?? 'none'}`);
    log(`engine ${(await engineHealthy()) ? 'healthy' : 'not running'} at ${ENGINE_URL}`);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
