import { stat } from 'node:fs/promises';
import { IpCommandError, ipRunner, type IpRunner } from './network/ip-runner';

/** A runner of one program with argument arrays (never a shell); failures carry its stderr. */
export type ProgramRunner = (binary: string) => IpRunner;

const runProgram: ProgramRunner = (binary) => ipRunner(binary, 60_000);

/**
 * Makes libvirtd's TLS listener (qemu+tls://, port 16514: the other hosts' peer-to-peer migration
 * connections) serve the certificate the agent just installed. A running listener re-reads its files
 * in place (`virt-admin server-update-tls`: no restart, open connections kept). Where systemd runs
 * libvirtd with socket activation and the TLS socket is off, it is enabled and libvirtd restarted
 * once (running guests are not affected by a libvirtd restart). Elsewhere the admin must start
 * libvirtd with `listen_tls = 1` and `--listen`: the error says so.
 */
export async function refreshLibvirtTls(
  run: ProgramRunner = runProgram,
  systemdDir = '/run/systemd/system',
): Promise<string> {
  let why: string;
  try {
    await run('virt-admin').run(['-c', 'libvirtd:///system', 'server-update-tls', 'libvirtd']);
    return 'libvirtd reloaded its TLS certificate';
  } catch (e) {
    why = reasonOf(e);
  }
  if (!(await isDirectory(systemdDir)))
    throw new Error(
      `libvirtd did not reload its TLS certificate (${why}): run it with listen_tls = 1 and --listen`,
    );
  const systemctl = run('systemctl');
  for (const args of [
    ['enable', '--now', 'libvirtd-tls.socket'],
    ['restart', 'libvirtd.service'],
  ]) {
    await systemctl.run(args).catch((e: unknown) => {
      throw new Error(`systemctl ${args.join(' ')} failed: ${reasonOf(e)}`);
    });
  }
  return `libvirtd-tls.socket enabled and libvirtd restarted (${why})`;
}

/** The first line of a failed program's stderr, without its `error:` prefix. */
function reasonOf(e: unknown): string {
  const text = e instanceof IpCommandError ? e.stderr : String((e as Error)?.message ?? e);
  return (
    text
      .split('\n')
      .map((l) => l.replace(/^error:\s*/, '').trim())
      .find(Boolean) ?? 'no output'
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
