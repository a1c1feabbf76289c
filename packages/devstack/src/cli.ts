#!/usr/bin/env node
import { Lab } from '@kelpie/lab';
import { Command } from 'commander';
import { join } from 'node:path';
import { ensureDatabase } from './database';
import { engineHealthy, ensureEngine, stopEngine } from './engine-process';
import { ensureFleet } from './fleet';
import { AGENT_ENTRY, ENGINE_URL, LAB_HOSTS, LAB_NAME, REDIS_PREFIX } from './settings';

const log = (line: string): void => console.log(`[kelpie] ${line}`);
const program = new Command('kelpie-devstack').description('The whole Kelpie platform on this machine');

program
  .command('up')
  .description('lab hosts, engine, agents, portal — idempotent')
  .action(async () => {
    const lab = await Lab.open({ name: LAB_NAME });
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
    log(`Kelpie is up: ${ENGINE_URL}/`);
  });

program
  .command('down')
  .description('stop agents, engine and lab (the database is kept)')
  .action(async () => {
    const lab = await Lab.open({ name: LAB_NAME });
    await lab.down({ log });
    await stopEngine(log);
  });

program
  .command('status')
  .description('what runs')
  .action(async () => {
    const lab = await Lab.open({ name: LAB_NAME });
    const status = await lab.status();
    for (const h of status.hosts)
      log(`${h.name} ${h.uri} libvirtd ${h.libvirtdAlive ? 'up' : 'down'} agent ${h.agentPid ?? 'none'}`);
    log(`engine ${(await engineHealthy()) ? 'healthy' : 'not running'} at ${ENGINE_URL}`);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
