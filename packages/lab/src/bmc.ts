import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostLayout, LabConfig } from './lab-config';
import { waitFor } from './process-runner';

/** A lab host's simulated BMC: how to reach it (from the root namespace, like a management LAN). */
export interface LabBmc {
  host: string;
  address: string;
  port: number;
  username: string;
  pid: number;
  /** Its files: lan.conf, sim.emu, calls.log (every chassis call it received). */
  dir: string;
}

export interface BmcOptions {
  /** UDP port of its IPMI LAN channel (the address is the lab bridge's). */
  port: number;
  username: string;
  /** Printable ASCII without quotes (it goes into lan.conf). */
  password: string;
}

/** What the chassis control program needs to act on the host (bmc.json in the BMC's directory). */
export interface BmcHostRef {
  lab: { name: string; subnet: number; stateDir: string };
  host: string;
}

/** One chassis control call ipmi_sim made: `get power`, `set power 0`… */
export interface BmcCall {
  time: string;
  args: string[];
}

export const bmcDir = (config: LabConfig, host: HostLayout) => join(config.stateDir, 'bmc', host.name);
export const bmcRole = (host: HostLayout) => `bmc:${host.name}`;

const SAFE_PATH = /^[A-Za-z0-9/._-]+$/;
const SAFE_WORD = /^[\x21\x23-\x7e]{1,20}$/;

/**
 * Starts Debian's `ipmi_sim` for the host in the root namespace — outside the host, so it answers
 * while the host is dead, as a real BMC does. It speaks real IPMI over LAN (1.5 and 2.0/RMCP+) with one
 * admin user; its chassis control program (bmc-chassis.js) turns "power off" into the host losing
 * power (every process SIGKILLed) and "power on" into the host booting again.
 */
export async function startBmc(
  config: LabConfig,
  host: HostLayout,
  options: BmcOptions,
  log: (line: string) => void,
): Promise<Omit<LabBmc, 'pid'> & { argv: string[]; spawn: () => number }> {
  const dir = bmcDir(config, host);
  // The built program (also when this module runs from src/, as under jest): node runs it directly.
  const chassis = join(__dirname, '..', 'dist', 'bmc-chassis.js');
  for (const p of [dir, chassis, process.execPath])
    if (!SAFE_PATH.test(p)) throw new Error(`path ${p} cannot go into ipmi_sim's lan.conf`);
  for (const w of [options.username, options.password])
    if (!SAFE_WORD.test(w))
      throw new Error('BMC user and password: 1-20 printable characters, no space or quote');
  await mkdir(join(dir, 'state'), { recursive: true });
  const ref: BmcHostRef = {
    lab: { name: config.name, subnet: config.subnet, stateDir: config.stateDir },
    host: host.name,
  };
  await writeFile(join(dir, 'bmc.json'), JSON.stringify(ref));
  await writeFile(
    join(dir, 'lan.conf'),
    lanConf(config.bridgeIp, options, `${process.execPath} ${chassis} ${dir}`),
    {
      mode: 0o600,
    },
  );
  await writeFile(join(dir, 'sim.emu'), SIM_EMU);
  const argv = [
    'ipmi_sim',
    '-c',
    join(dir, 'lan.conf'),
    '-f',
    join(dir, 'sim.emu'),
    '-s',
    join(dir, 'state'),
    '-n',
  ];
  log(`${host.name}: BMC (ipmi_sim) on ${config.bridgeIp}:${options.port}`);
  return {
    host: host.name,
    address: config.bridgeIp,
    port: options.port,
    username: options.username,
    dir,
    argv,
    spawn: () => {
      const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' });
      if (!child.pid) throw new Error('could not start ipmi_sim');
      child.unref();
      return child.pid;
    },
  };
}

/** Resolves once something listens on the UDP port (ipmi_sim has read its configuration). */
export async function waitForUdpPort(port: number): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  await waitFor(
    `UDP port ${port}`,
    async () =>
      (await readFile('/proc/net/udp', 'utf8'))
        .split('\n')
        // "  sl: local_address …": the slot is right-aligned in 5 columns, so slots ≥ 10000 (large UDP
        // hash tables) have no leading blank: split the trimmed line.
        .some((l) => l.trim().split(/\s+/)[1]?.endsWith(hex.trim())),
    10_000,
    100,
  );
}

export async function readBmcCalls(dir: string): Promise<BmcCall[]> {
  const text = await readFile(join(dir, 'calls.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BmcCall);
}

export const recordBmcCall = (dir: string, args: string[]) =>
  appendFile(join(dir, 'calls.log'), `${JSON.stringify({ time: new Date().toISOString(), args })}\n`);

function lanConf(address: string, o: BmcOptions, chassisControl: string): string {
  return [
    `name "kelpie-lab-bmc"`,
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr ${address} ${o.port}`,
    '    priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((p) => `    allowed_auths_${p} md5`),
    '    guid a123456789abcdefa123456789abcdef',
    '  endlan',
    `  chassis_control "${chassisControl}"`,
    `  user 2 true "${o.username}" "${o.password}" admin 10 md5`,
    '',
  ].join('\n');
}

/** One BMC at IPMB address 0x20, nothing else (no sensors: fencing needs only the chassis). */
const SIM_EMU = [
  'mc_setbmc 0x20',
  'mc_add 0x20 0 no-device-sdrs 0x23 0x09 0x08 0x9f 0x1291 0xf02 persist_sdr',
  'mc_enable 0x20',
  '',
].join('\n');
