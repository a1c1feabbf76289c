import { execFile } from 'node:child_process';

/** Runs `ip` (or `ovs-vsctl`) with an argument array (never a shell string). */
export interface IpRunner {
  run(args: readonly string[]): Promise<string>;
}

export class IpCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    binary = 'ip',
  ) {
    super(`${binary} ${args.join(' ')}: ${stderr.trim() || 'failed'}`);
  }
}

export function ipRunner(binary = 'ip', timeoutMs = 10_000): IpRunner {
  return {
    run: (args) =>
      new Promise((resolve, reject) => {
        execFile(
          binary,
          [...args],
          { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
          (err, stdout, stderr) => {
            if (err) reject(new IpCommandError(args, stderr || err.message, binary));
            else resolve(stdout);
          },
        );
      }),
  };
}
