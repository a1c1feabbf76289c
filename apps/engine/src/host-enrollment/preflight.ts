import { EnrollSteps, StepFailure } from './enroll-steps';
import {
  clockSkewMs,
  nodeMajor,
  parseCpuInfo,
  parseDfAvailableMib,
  parseMemAvailableMib,
  parseOsRelease,
  virtHostValidateProblems,
} from './preflight-parsers';
import type { SshSession } from './ssh-session';

export const MIN_NODE_MAJOR = 20;
const MIN_FREE_MEMORY_MIB = 512;
const MIN_FREE_DISK_MIB = 1024;
/** Past this the host is refused: certificates, heartbeats and task times would all be wrong. */
const MAX_CLOCK_SKEW_MS = 30_000;

export interface Endpoint {
  name: string;
  host: string;
  port: number;
}

export interface PreflightFacts {
  nodeBinary: string;
  /** `probe`: the agent boots a probe guest under KVM at its start and falls back to TCG. */
  virtualization: 'probe' | 'tcg';
}

const fail = (message: string): never => {
  throw new StepFailure(message);
};

/** Connects out from the host to host:port (node -e, the host's node: no other tool is assumed). */
const TCP_PROBE =
  "const s=require('net').connect({host:process.argv[1],port:Number(process.argv[2]),timeout:5000});" +
  "s.on('connect',()=>{s.destroy();process.exit(0)});s.on('timeout',()=>{console.error('timed out');process.exit(1)});" +
  "s.on('error',(e)=>{console.error(e.code||e.message);process.exit(1)})";

/**
 * Checks, over SSH and without writing anything on the host, that it can run Kelpie's agent and VMs.
 * Each check is a task step with its result; the first that cannot pass stops the enrollment.
 */
export async function preflight(
  ssh: SshSession,
  steps: EnrollSteps,
  reach: { redis: Endpoint[]; peers: Endpoint[] },
): Promise<PreflightFacts> {
  const facts: PreflightFacts = { nodeBinary: 'node', virtualization: 'tcg' };
  await steps.run('system', async () => {
    const [kernel, osRelease, uid] = await Promise.all([
      ssh.exec(['uname', '-srm']),
      ssh.exec(['cat', '/etc/os-release']),
      ssh.exec(['id', '-u']),
    ]);
    if (!kernel.stdout.startsWith('Linux'))
      fail(`not a Linux host (uname: ${kernel.stdout.trim() || kernel.stderr.trim()})`);
    if (uid.stdout.trim() !== '0')
      fail('the SSH user is not root: enroll with root (the agent drives libvirt as root)');
    return `${parseOsRelease(osRelease.stdout)}, ${kernel.stdout.trim()}`;
  });
  await steps.run('cpu', async () => {
    const cpu = parseCpuInfo(await ssh.run(['cat', '/proc/cpuinfo']));
    return `${cpu.vendor}, ${cpu.cpus} CPU(s), ${cpu.virtFlag ? `hardware virtualization (${cpu.virtFlag})` : 'no hardware virtualization flag (vmx/svm)'}`;
  });
  await steps.run('kvm', async () => {
    const r = await ssh.exec(['test', '-c', '/dev/kvm', '-a', '-r', '/dev/kvm', '-a', '-w', '/dev/kvm']);
    if (r.code === 0) {
      // /dev/kvm opening proves little (nested or partial KVM may start guests that never run): the
      // agent decides with a real probe guest and reports which it uses in its capabilities.
      facts.virtualization = 'probe';
      return '/dev/kvm is present: at its start the agent boots a probe guest and uses KVM only if it runs (else TCG)';
    }
    return '/dev/kvm is missing or not usable: VMs will run with TCG (software emulation, many times slower)';
  });
  await steps.run('libvirt', async () => {
    const daemon = await ssh.exec(['virsh', '-c', 'qemu:///system', 'version']);
    if (daemon.code === 127)
      fail(
        'virsh is not installed: install libvirt (e.g. apt-get install libvirt-daemon-system qemu-system-x86)',
      );
    if (daemon.code !== 0)
      fail(
        `libvirtd does not answer on qemu:///system (${(daemon.stderr || daemon.stdout).trim().split('\n')[0]}): start it (systemctl start libvirtd)`,
      );
    const versions = daemon.stdout
      .split('\n')
      .map((l) =>
        /^(Using library|Using API|Running hypervisor|Running against daemon): (.*)$/.exec(l.trim()),
      )
      .filter((m): m is RegExpExecArray => !!m)
      .map(
        (m) =>
          `${m[1]!.replace('Running against ', '').replace('Using ', '').replace('Running ', '')} ${m[2]}`,
      );
    return versions.join(', ') || daemon.stdout.trim();
  });
  await steps.run('resources', async () => {
    const [mem, disk] = await Promise.all([
      ssh.run(['cat', '/proc/meminfo']),
      ssh.run(['df', '-Pk', '/var/lib']),
    ]);
    const memMib = parseMemAvailableMib(mem);
    const diskMib = parseDfAvailableMib(disk);
    if (memMib < MIN_FREE_MEMORY_MIB)
      fail(`only ${memMib} MiB of memory available (${MIN_FREE_MEMORY_MIB} MiB needed)`);
    if (diskMib < MIN_FREE_DISK_MIB)
      fail(`only ${diskMib} MiB free on /var/lib (${MIN_FREE_DISK_MIB} MiB needed)`);
    return `${memMib} MiB memory available, ${diskMib} MiB free on /var/lib`;
  });
  await steps.run('virt-host-validate', async () => {
    const r = await ssh.exec(['virt-host-validate', 'qemu']);
    if (r.code === 127) return 'virt-host-validate is not installed (libvirt-clients): skipped';
    const { fail: failed, warn } = virtHostValidateProblems(r.stdout);
    if (!failed.length && !warn.length) return 'every check passed';
    // Reported, not fatal: without KVM (TCG hosts) some of its checks always fail.
    return [...failed, ...warn].join('; ');
  });
  await steps.run('clock', async () => {
    const sentAt = Date.now();
    const out = await ssh.run(['date', '+%s.%N']);
    const skew = clockSkewMs(out, sentAt, Date.now());
    if (Math.abs(skew) > MAX_CLOCK_SKEW_MS)
      fail(`the host's clock is ${(skew / 1000).toFixed(1)} s off the engine's: synchronize it (NTP/chrony)`);
    return `${skew >= 0 ? '+' : ''}${skew} ms against the engine`;
  });
  await steps.run('node', async () => {
    const which = await ssh.exec(['sh', '-c', 'command -v node']);
    if (which.code !== 0)
      fail(`Node.js is not installed: install Node.js >= ${MIN_NODE_MAJOR} (e.g. apt-get install nodejs)`);
    facts.nodeBinary = which.stdout.trim();
    const version = (await ssh.run([facts.nodeBinary, '--version'])).trim();
    if (nodeMajor(version) < MIN_NODE_MAJOR)
      fail(`Node.js ${version} is too old: install Node.js >= ${MIN_NODE_MAJOR}`);
    return `${facts.nodeBinary} ${version}`;
  });
  await steps.run('network', async () => {
    const unreachable: string[] = [];
    for (const target of [...reach.redis, ...reach.peers]) {
      const r = await ssh.exec([facts.nodeBinary, '-e', TCP_PROBE, target.host, String(target.port)]);
      if (r.code !== 0)
        unreachable.push(
          `${target.name} ${target.host}:${target.port} (${r.stderr.trim() || `exit ${r.code}`})`,
        );
    }
    if (unreachable.length) fail(`the host cannot reach ${unreachable.join(', ')}: open the route/firewall`);
    return `reaches ${[...reach.redis, ...reach.peers].map((t) => `${t.name} ${t.host}:${t.port}`).join(', ')}`;
  });
  return facts;
}
