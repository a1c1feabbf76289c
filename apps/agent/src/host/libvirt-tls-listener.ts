import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a program with an argument array (never a shell). */
export type Exec = (file: string, args: readonly string[]) => Promise<ExecResult>;

export const execProgram: Exec = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && !stderr ? err.message : '') });
    });
  });

/**
 * Makes libvirtd's TLS listener (qemu+tls://, port 16514: the other hosts' peer-to-peer migration
 * connections) serve the certificate the agent just installed. A running listener re-reads its files
 * in place (`virt-admin server-update-tls`: no restart, open connections kept). Where systemd runs
 * libvirtd with socket activation and the TLS socket is off, it is enabled and libvirtd restarted
 * once (running guests are not affected by a libvirtd restart). Elsewhere the admin must start
 * libvirtd with `listen_tls = 1` and `--listen`: the error says so.
 */
export async function refreshLibvirtTls(exec: Exec, systemdDir = '/run/systemd/system'): Promise<string> {
  const reload = await exec('virt-admin', ['-c', 'libvirtd:///system', 'server-update-tls', 'libvirtd']);
  if (reload.code === 0) return 'libvirtd reloaded its TLS certificate';
  const why = firstLine(reload.stderr || reload.stdout);
  if (!(await isDirectory(systemdDir)))
    throw new Error(
      `libvirtd did not reload its TLS certificate (${why}): run it with listen_tls = 1 and --listen`,
    );
  for (const args of [
    ['enable', '--now', 'libvirtd-tls.socket'],
    ['restart', 'libvirtd.service'],
  ]) {
    const r = await exec('systemctl', args);
    if (r.code !== 0)
      throw new Error(`systemctl ${args.join(' ')} failed: ${firstLine(r.stderr || r.stdout)}`);
  }
  return `libvirtd-tls.socket enabled and libvirtd restarted (${why})`;
}

function firstLine(text: string): string {
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
