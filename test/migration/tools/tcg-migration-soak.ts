/**
 * Soak tool for the TCG guest crash after live migration (ADR 0005). Not a test: run it by
 * hand against a running lab (`pnpm lab up 2 --name kx88 --subnet 88`):
 *
 *   npx tsx test/migration/tools/tcg-migration-soak.ts --lab kx88 --condition raw-idle --moves 30
 *
 * It boots the dirtying test guest, moves it h1 ⇄ h2 with raw `virsh migrate` (mode raw: the plain
 * `--live --p2p --persistent --undefinesource --unsafe` set; mode kelpie: the agent's exact flags plus
 * migrate-setmaxdowntime once the job is visible and domjobinfo every 500 ms), and after each move
 * watches the serial log for an oops and for the heartbeat to continue. One JSON line per move is
 * appended to --out; a crashed guest is replaced by a fresh one. The test guest pads its RAM under TCG
 * (packages/lab domain-xml.ts, padTcgRam): --no-ram-pad reproduces the QEMU 7.2 bug. Results: ADR 0005.
 */
import { Lab, testGuest, testGuestDomainXml, virsh, type TestGuestDomainOptions } from '@kelpie/lab';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    lab: { type: 'string', default: 'kx88' },
    condition: { type: 'string', default: 'raw' },
    mode: { type: 'string', default: 'raw' }, // raw | kelpie
    moves: { type: 'string', default: '30' },
    /** Moves per guest before a fresh one boots (fresh guests sample early-boot moves). */
    'moves-per-guest': { type: 'string', default: '6' },
    /** First move of a guest at this guest uptime (s); "ready" = right at the ready line. */
    'first-at': { type: 'string', default: '3' },
    /** Seconds of heartbeat to watch after each move. */
    watch: { type: 'string', default: '4' },
    'dirty-mib': { type: 'string', default: '32' },
    'memory-mib': { type: 'string', default: '128' },
    vcpus: { type: 'string', default: '1' },
    cpu: { type: 'string' }, // e.g. qemu64, maximum, host-model
    'tb-cache': { type: 'string' },
    /** A wrapper around qemu-system-x86_64 (e.g. one forcing thread=single), same path on all hosts. */
    emulator: { type: 'string' },
    /** Without the test guest's TCG RAM padding (reproduces the QEMU 7.2 bug). */
    'no-ram-pad': { type: 'boolean', default: false },
    cmdline: { type: 'string', default: '' },
    'auto-converge': { type: 'boolean', default: false },
    bandwidth: { type: 'string' },
    /** Busy-loop processes on the machine while moving (extra CPU load). */
    load: { type: 'string', default: '0' },
    /** A second dirtying guest on h1 during the run. */
    'noisy-guest': { type: 'boolean', default: false },
    out: { type: 'string', default: '/tmp/kx88-soak.jsonl' },
  },
});

const CRASH =
  /Oops|BUG:|general protection|Kernel panic|corruption|Unable to handle|invalid opcode|segfault|RIP: |Call Trace|double fault|stack segment|soft lockup|rcu_sched self-detected|watchdog/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Guest {
  name: string;
  log: string;
  host: number; // index into uris
}

let uris: string[] = [];
let shared = '';
let guestFiles: { kernel: string; initrd: string };

function domainOptions(name: string, log: string, disk: string, dirtyMiB: number): TestGuestDomainOptions {
  const cpu = a.cpu;
  return {
    name,
    uuid: randomUUID(),
    memoryMiB: Number(a['memory-mib']),
    vcpus: Number(a.vcpus),
    virtType: 'qemu',
    kernel: guestFiles.kernel,
    initrd: guestFiles.initrd,
    cmdlineExtra: [dirtyMiB ? `kelpie.dirty_mib=${dirtyMiB}` : '', a.cmdline].filter(Boolean).join(' '),
    serialLogPath: log,
    diskPath: disk,
    cpu:
      cpu === undefined
        ? undefined
        : cpu === 'maximum' || cpu === 'host-model' || cpu === 'host-passthrough'
          ? { mode: cpu }
          : { mode: 'custom', model: cpu },
    tbCacheMiB: a['tb-cache'] ? Number(a['tb-cache']) : undefined,
    emulator: a.emulator,
    tcgRamPad: !a['no-ram-pad'],
  };
}

async function startGuest(prefix: string, dirtyMiB: number, host = 0): Promise<Guest> {
  const name = `${prefix}-${randomUUID().slice(0, 6)}`;
  const log = join(shared, `${name}.log`);
  const disk = join(shared, `${name}.img`);
  await writeFile(disk, '');
  await truncate(disk, 8 * 1024 * 1024);
  const file = join(tmpdir(), `${name}.xml`);
  await writeFile(file, testGuestDomainXml(domainOptions(name, log, disk, dirtyMiB)));
  const r = await virsh(uris[host]!, ['create', file]);
  if (r.code !== 0) throw new Error(`create ${name}: ${r.stderr}`);
  // Persistent definitions are what Kelpie migrates; `--persistent` defines it on the target anyway.
  return { name, log, host };
}

async function serial(g: Guest): Promise<string> {
  return readFile(g.log, 'utf8').catch(() => '');
}

/** Guest uptime (s) from the last heartbeat or ready line. */
function uptimeOf(text: string): number {
  const m = [...text.matchAll(/KELPIE-(?:HEARTBEAT \d+|GUEST-READY) ([0-9.]+)/g)];
  return m.length ? Number(m[m.length - 1]![1]) : -1;
}

function lastBeat(text: string): number {
  const m = [...text.matchAll(/KELPIE-HEARTBEAT (\d+)/g)];
  return m.length ? Number(m[m.length - 1]![1]) : -1;
}

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('virsh', args, { env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function migrate(g: Guest): Promise<{ ok: boolean; ms: number; out: string; samples: number }> {
  const src = uris[g.host]!;
  const dst = uris[1 - g.host]!;
  const started = Date.now();
  let args: string[];
  if (a.mode === 'kelpie') {
    // apps/agent/src/libvirt/operations/migration.ts migrateArgs() for a shared-storage move.
    args = ['-c', src, 'migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--abort-on-error'];
    args.push('--unsafe');
    if (a['auto-converge']) args.push('--auto-converge');
    if (a.bandwidth) args.push('--bandwidth', a.bandwidth);
    args.push('--domain', g.name, '--desturi', dst);
  } else {
    args = ['-c', src, 'migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--unsafe'];
    if (a['auto-converge']) args.push('--auto-converge');
    if (a.bandwidth) args.push('--bandwidth', a.bandwidth);
    args.push(g.name, dst);
  }
  let done = false;
  const job = run(args).finally(() => (done = true));
  let samples = 0;
  if (a.mode === 'kelpie') {
    let downtimeSet = false;
    while (!done) {
      await Promise.race([job, sleep(500)]);
      if (done) break;
      const info = await run(['-c', src, 'domjobinfo', '--domain', g.name]);
      if (!/Job type:\s+(Unbounded|Bounded)/.test(info.out)) continue;
      samples++;
      if (!downtimeSet) {
        downtimeSet = true;
        await run(['-c', src, 'migrate-setmaxdowntime', '--domain', g.name, '--downtime', '500']);
      }
    }
  }
  const r = await job;
  if (r.code === 0) g.host = 1 - g.host;
  return { ok: r.code === 0, ms: Date.now() - started, out: r.out.trim(), samples };
}

async function destroy(g: Guest): Promise<void> {
  for (const u of uris) await virsh(u, ['destroy', g.name]);
  for (const u of uris) await virsh(u, ['undefine', g.name]);
}

async function main(): Promise<void> {
  const lab = await Lab.open({ name: a.lab });
  const status = await lab.status();
  uris = status.hosts.slice(0, 2).map((h) => h.uri);
  shared = status.sharedDir;
  guestFiles = await testGuest();
  const loaders = Array.from({ length: Number(a.load) }, () =>
    spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }),
  );
  const noisy = a['noisy-guest'] ? await startGuest('noisy', 32) : undefined;
  const total = Number(a.moves);
  const perGuest = Number(a['moves-per-guest']);
  const summary = { moves: 0, crashes: 0, hangs: 0, migrateFailed: 0 };
  let g: Guest | undefined;
  let movesOnGuest = 0;
  try {
    while (summary.moves < total) {
      if (!g || movesOnGuest >= perGuest) {
        if (g) await destroy(g);
        g = await startGuest(`soak-${a.condition}`.slice(0, 24), Number(a['dirty-mib']));
        movesOnGuest = 0;
        const firstAt = a['first-at'];
        const deadline = Date.now() + 90_000;
        for (;;) {
          const text = await serial(g);
          const ready = /KELPIE-GUEST-READY/.test(text);
          const up = uptimeOf(text);
          if (firstAt === 'ready' ? ready : ready && up >= Number(firstAt)) break;
          if (Date.now() > deadline) throw new Error(`${g.name} not ready: ${text.slice(-500)}`);
          await sleep(firstAt === 'ready' ? 100 : 250);
        }
      }
      const before = await serial(g);
      const uptime = uptimeOf(before);
      const beat = lastBeat(before);
      const m = await migrate(g);
      movesOnGuest++;
      summary.moves++;
      let result = 'ok';
      let excerpt = '';
      if (!m.ok) {
        result = 'migrate-failed';
        summary.migrateFailed++;
        excerpt = m.out.slice(-300);
      } else {
        const deadline = Date.now() + Math.max(Number(a.watch), 1) * 1000 + 20_000;
        let after = '';
        for (;;) {
          after = await serial(g);
          const fresh = after.slice(before.length);
          if (CRASH.test(fresh)) {
            await sleep(1500);
            result = 'crash';
            excerpt = (await serial(g)).slice(before.length).slice(0, 3000);
            break;
          }
          if (lastBeat(after) >= beat + Number(a.watch)) break;
          if (Date.now() > deadline) {
            result = 'hang';
            excerpt = fresh.slice(-1500);
            break;
          }
          await sleep(250);
        }
      }
      if (result === 'crash') summary.crashes++;
      if (result === 'hang') summary.hangs++;
      const line = {
        time: new Date().toISOString(),
        condition: a.condition,
        mode: a.mode,
        guest: g.name,
        move: movesOnGuest,
        uptimeAtStart: uptime,
        ms: m.ms,
        samples: m.samples,
        result,
        load: (await readFile('/proc/loadavg', 'utf8')).split(' ')[0],
        excerpt,
      };
      await appendFile(a.out!, JSON.stringify(line) + '\n');
      console.log(
        `${summary.moves}/${total} ${g.name} move ${movesOnGuest} at ${uptime}s: ${result} (${m.ms} ms, load ${line.load})`,
      );
      if (result !== 'ok') {
        if (excerpt) console.log(excerpt.split('\n').slice(0, 25).join('\n'));
        await destroy(g);
        g = undefined;
      }
    }
  } finally {
    if (g) await destroy(g);
    if (noisy) await destroy(noisy);
    for (const l of loaders) l.kill();
  }
  console.log(`SUMMARY ${a.condition}: ${JSON.stringify(summary)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
