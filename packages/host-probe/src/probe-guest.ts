import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProbeBootSector, PROBE_GUEST_MEMORY_MIB, ProbeStage, stagesReached } from './boot-sector';

export type Accelerator = 'kvm' | 'tcg';

export interface ProbeGuestOptions {
  accel: Accelerator;
  /** Give up after this long (default 5 s; a working KVM finishes in well under a second). */
  timeoutMs?: number;
  qemuBinary?: string;
}

export interface ProbeGuestResult {
  accel: Accelerator;
  /** Everything the guest wrote to its serial port. */
  serialOutput: string;
  stages: ProbeStage[];
  /** True when the guest reached the last stage ("K"). */
  completed: boolean;
  elapsedMs: number;
  /** QEMU's stderr, or the spawn error, when something went wrong. */
  diagnostics: string;
}

/** Boots the probe boot sector in QEMU with the given accelerator and reports how far it got. */
export async function runProbeGuest(options: ProbeGuestOptions): Promise<ProbeGuestResult> {
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-probe-'));
  const image = join(dir, 'probe.img');
  try {
    await writeFile(image, buildProbeBootSector());
    return await bootImage(image, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function bootImage(image: string, options: ProbeGuestOptions): Promise<ProbeGuestResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const args = [
    '-accel',
    options.accel,
    '-nodefaults',
    '-display',
    'none',
    '-monitor',
    'none',
    '-serial',
    'stdio',
    '-m',
    String(PROBE_GUEST_MEMORY_MIB),
    '-drive',
    `file=${image},format=raw,if=ide`,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    let serialOutput = '';
    let diagnostics = '';
    let settled = false;
    const child = spawn(options.qemuBinary ?? 'qemu-system-x86_64', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      const stages = stagesReached(serialOutput);
      resolve({
        accel: options.accel,
        serialOutput,
        stages,
        completed: stages.includes('K'),
        elapsedMs: Date.now() - started,
        diagnostics: diagnostics.trim(),
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      serialOutput += chunk.toString('latin1');
      if (serialOutput.includes('K')) finish();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      diagnostics += chunk.toString();
    });
    child.on('error', (error) => {
      diagnostics += `${error.message}\n`;
      finish();
    });
    child.on('exit', finish);
  });
}
