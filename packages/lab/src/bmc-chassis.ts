#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BmcHostRef, recordBmcCall } from './bmc';
import { Lab } from './lab';

/**
 * The chassis control program of a lab BMC (ipmi_sim runs `<this> <bmc dir> get power` and
 * `<this> <bmc dir> set power 0|1`): the power rail of one lab host. Off: every process of the host
 * dies at once (Lab.crashHost), as when a real BMC cuts the power. On: answered at once (a BMC does not
 * wait for the OS), the host boots in a detached process (`<this> <dir> boot`: namespaces, libvirtd,
 * sshd, and the processes registered to start at boot, such as its agent).
 */
async function main(dir: string, verb: string, args: string[]): Promise<void> {
  const ref = JSON.parse(readFileSync(join(dir, 'bmc.json'), 'utf8')) as BmcHostRef;
  const lab = new Lab({ name: ref.lab.name, subnet: ref.lab.subnet, stateDir: ref.lab.stateDir });
  const powerFile = join(dir, 'power');
  if (verb !== 'boot') await recordBmcCall(dir, [verb, ...args]);
  if (verb === 'get') {
    const power = (await readFile(powerFile, 'utf8').catch(() => '1')).trim();
    for (const parm of args) if (parm === 'power') console.log(`power:${power}`);
    return;
  }
  if (verb === 'set' && args[0] === 'power' && args[1] === '0') {
    await lab.crashHost(ref.host);
    await writeFile(powerFile, '0');
    return;
  }
  if (verb === 'set' && args[0] === 'power' && args[1] === '1') {
    await writeFile(powerFile, '1');
    const out = openSync(join(dir, 'boot.log'), 'a');
    spawn(process.execPath, [__filename, dir, 'boot'], {
      detached: true,
      stdio: ['ignore', out, out],
    }).unref();
    return;
  }
  if (verb === 'boot') {
    await lab.powerOnHost(ref.host, { log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
    return;
  }
  if (verb === 'set') return; // reset / boot device: nothing to simulate
  throw new Error(`unknown chassis control call: ${verb} ${args.join(' ')}`);
}

const [dir, verb, ...args] = process.argv.slice(2);
main(dir, verb, args).catch(async (err: Error) => {
  // ipmi_sim keeps no trace of a failed call: the BMC's directory does.
  await appendFile(
    join(dir, 'chassis-errors.log'),
    `${new Date().toISOString()} ${verb} ${args.join(' ')}: ${err.stack}\n`,
  );
  console.log(`error: ${err.message}`);
  process.exit(1);
});
