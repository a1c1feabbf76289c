import { testGuest, virshOrThrow } from '@kelpie/lab';
import type { ConsoleTicket, Vm } from '@kelpie/shared-types';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { consoleGuestXml, openWs } from '../../../test/console/console-support';
import { freePort } from '@kelpie/test-support';
import { startLabPlatform } from '../lib/lab-platform';
import { interleave } from '../lib/interleave';
import { firstUpdate, rawFullUpdates, rfbHandshake } from '../lib/rfb-client';
import { fmt, sleep, summarize } from '../lib/stats';
import { until } from '../lib/tasks';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/types';

const DOMAIN = 'kb-con';
/** The password the baseline sets with raw QEMU monitor commands before each of its sessions. */
const BASELINE_PASSWORD = 'kbbench1';

/** Benchmark 6: console time to first picture and bulk throughput, Kelpie's proxy vs websockify. */
export const consoleBench: Benchmark = {
  name: 'console',
  title: '6. Browser console vs websockify',
  description:
    "One lab host with a real agent, the engine in its own process, the lab's test guest with a password-protected QEMU VNC display (as Kelpie defines VMs). Kelpie: `POST /vms/{id}/console` (the engine has the agent set a one-time VNC password) → WebSocket to the engine's proxy (which authenticates to QEMU and offers the client security type None) → RFB handshake → first FramebufferUpdate. Baseline: Debian's `websockify` in front of the same VNC port, the password set beforehand with raw `virsh qemu-monitor-command … set_password`, the client doing VNC authentication itself. Bulk: the whole framebuffer requested again and again in Raw encoding (no compression, the same bytes on both paths), one request after the previous update arrived. The two paths alternate session by session.",
  run,
};

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const sessions = ctx.quick ? 5 : 20;
  const updatesPerSession = ctx.quick ? 20 : 50;
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-bench-con-'));
  const image = await testGuest();
  const p = await startLabPlatform({ labName: 'kb', subnet: 85, hosts: 1, log: ctx.log });
  const host = p.labStatus.hosts[0];
  let websockify: ChildProcess | undefined;
  try {
    const file = join(dir, `${DOMAIN}.xml`);
    const serialLog = join(p.labStatus.sharedDir, `${DOMAIN}.log`);
    await writeFile(file, consoleGuestXml({ name: DOMAIN, ...image, serialLogPath: serialLog }));
    await virshOrThrow(host.uri, ['define', file], 120_000); // libvirt may re-probe QEMU first (tens of s)
    await virshOrThrow(host.uri, ['start', DOMAIN], 60_000);
    const id = (await virshOrThrow(host.uri, ['domuuid', DOMAIN])).trim().toLowerCase();
    let vncPort = 0;
    await until(
      'the engine shows the guest running with its VNC port',
      async () => {
        const v = (await p.engine.api<Vm & { graphicsPort?: number }>('GET', `/api/v1/vms/${id}`)).body;
        vncPort = v.graphicsPort ?? 0;
        return v.status === 'up' && vncPort > 0;
      },
      30_000,
    );
    // Let the guest boot to its prompt, so the picture is the same on both paths.
    await sleep(8_000);

    const wsPort = await freePort();
    websockify = spawn('websockify', [`127.0.0.1:${wsPort}`, `${host.ip}:${vncPort}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let wsErr = '';
    websockify.stderr!.on('data', (d: Buffer) => (wsErr += d.toString()));
    websockify.once('error', (e) => (wsErr += `${e.message} (bench/run.sh installs Debian's websockify)`));
    await until(
      'websockify listening',
      async () => {
        if (websockify!.exitCode !== null || wsErr.includes('ENOENT'))
          throw new Error(`websockify did not start: ${wsErr}`);
        return fetch(`http://127.0.0.1:${wsPort}/`).then(
          () => true,
          () => false,
        );
      },
      15_000,
      100,
    );

    interface Session {
      firstUpdateMs: number;
      /** Where the time to the first update went. */
      ticketMs: number;
      connectMs: number;
      handshakeMs: number;
      updateMs: number;
      mibPerS: number;
      bytes: number;
    }
    const kelpie = async (): Promise<Session> => {
      const t0 = performance.now();
      const res = await p.engine.api<ConsoleTicket>('POST', `/api/v1/vms/${id}/console`);
      if (res.status !== 201) throw new Error(`console ticket → ${res.status} ${JSON.stringify(res.body)}`);
      const t1 = performance.now();
      const ws = await openWs(p.engine.baseUrl.replace(/^http/, 'ws') + res.body.wsPath);
      if (!ws.ws) throw new Error(`console WebSocket refused: ${ws.status} ${ws.body}`);
      return measure(ws.ws, ws.stream, t0, t1);
    };
    const baseline = async (): Promise<Session> => {
      const t0 = performance.now();
      // The same kind of step as Kelpie's ticket: a fresh password on the VNC server, with raw virsh.
      await virshOrThrow(host.uri, [
        'qemu-monitor-command',
        DOMAIN,
        '--hmp',
        `set_password vnc ${BASELINE_PASSWORD}`,
      ]);
      await virshOrThrow(host.uri, ['qemu-monitor-command', DOMAIN, '--hmp', 'expire_password vnc +60']);
      const t1 = performance.now();
      const ws = await openWs(`ws://127.0.0.1:${wsPort}/`);
      if (!ws.ws) throw new Error(`websockify refused: ${ws.status} ${ws.body}`);
      return measure(ws.ws, ws.stream, t0, t1, BASELINE_PASSWORD);
    };
    const measure = async (
      ws: NonNullable<Awaited<ReturnType<typeof openWs>>['ws']>,
      stream: NonNullable<Awaited<ReturnType<typeof openWs>>['stream']>,
      t0: number,
      t1: number,
      password?: string,
    ): Promise<Session> => {
      try {
        const t2 = performance.now();
        const session = await rfbHandshake(stream, password);
        const t3 = performance.now();
        await firstUpdate(stream, session);
        const t4 = performance.now();
        // The rest of that first update, then the bulk run on a clean stream: count it as bytes too.
        const bulk = await rawFullUpdates(stream, session, updatesPerSession, true);
        return {
          firstUpdateMs: t4 - t0,
          ticketMs: t1 - t0,
          connectMs: t2 - t1,
          handshakeMs: t3 - t2,
          updateMs: t4 - t3,
          mibPerS: bulk.bytes / 2 ** 20 / (bulk.ms / 1000),
          bytes: bulk.bytes,
        };
      } finally {
        const closed = new Promise((r) => ws.once('close', r));
        ws.close();
        await Promise.race([closed, sleep(2000)]);
      }
    };

    const {
      baseline: b,
      kelpie: k,
      loads,
    } = await interleave(sessions, baseline, kelpie, (i, bs, ks) =>
      ctx.log(
        `session ${i + 1}/${sessions}: first update kelpie ${fmt(ks.firstUpdateMs)} ms / websockify ${fmt(bs.firstUpdateMs)} ms; bulk ${fmt(ks.mibPerS)} / ${fmt(bs.mibPerS)} MiB/s`,
      ),
    );
    const kFirst = summarize(k.map((x) => x.firstUpdateMs));
    const bFirst = summarize(b.map((x) => x.firstUpdateMs));
    const kRate = summarize(k.map((x) => x.mibPerS));
    const bRate = summarize(b.map((x) => x.mibPerS));
    const part = (xs: Session[], key: keyof Session) => fmt(summarize(xs.map((x) => x[key])).p50);
    const ratio = kRate.p50 / bRate.p50;
    return {
      rows: [
        {
          what: `ticket request → first FramebufferUpdate, p50 / p99 (${sessions} sessions each)`,
          baseline: `${fmt(bFirst.p50)} / ${fmt(bFirst.p99)} ms (password set with raw virsh, then websockify)`,
          result: `${fmt(kFirst.p50)} / ${fmt(kFirst.p99)} ms`,
          ratio: kFirst.p50 / bFirst.p50,
          target: '< 1 s',
          met: kFirst.p99 < 1000,
          limits: `p50 parts: ticket ${part(k, 'ticketMs')} ms (baseline's password ${part(b, 'ticketMs')} ms), WebSocket open ${part(k, 'connectMs')} ms (${part(b, 'connectMs')}), RFB handshake ${part(k, 'handshakeMs')} ms (${part(b, 'handshakeMs')}), update request → first update ${part(k, 'updateMs')} ms (${part(b, 'updateMs')})`,
        },
        {
          what: `bulk throughput: ${updatesPerSession} full Raw framebuffer updates per session, p50 / min`,
          baseline: `${fmt(bRate.p50)} / ${fmt(bRate.min)} MiB/s (websockify)`,
          result: `${fmt(kRate.p50)} / ${fmt(kRate.min)} MiB/s`,
          ratio,
          target: 'ratio ≥ 1.0',
          met: ratio >= 1,
          limits:
            ratio >= 1
              ? undefined
              : 'both paths wait on QEMU (TCG guest) to produce each update; see the notes for the load',
        },
      ],
      details: {
        sessions,
        updatesPerSession,
        kelpie: { firstUpdate: kFirst, mibPerS: kRate, samples: k },
        websockify: { firstUpdate: bFirst, mibPerS: bRate, samples: b },
        loadavg1: loads,
      },
      notes: [
        `Load average during the sessions: ${loads.map((l) => fmt(l)).join(', ')}.`,
        `Each session moves ${fmt(summarize(k.map((x) => x.bytes)).p50 / 2 ** 20)} MiB (the framebuffer is re-sent whole ${updatesPerSession} times). websockify runs as \`websockify 127.0.0.1:<port> <host ip>:<vnc port>\` (Debian's package, installed by bench/run.sh); the benchmark client, the engine and websockify run in the root namespace and reach QEMU over the lab bridge alike.`,
        "Fairness of the baseline: QEMU's VNC server has password authentication on (the guest is defined with an expired random password, as Kelpie defines VMs). Kelpie's ticket sets a one-time password through the agent (`virsh update-device`; the agent reads the display with `virsh dumpxml` for the first ticket of a domain and reuses that element, without its password, for later ones, so Kelpie's first session costs one virsh process more than the others); the baseline sets one with `virsh qemu-monitor-command --hmp set_password/expire_password` (two processes) and its client answers the VNC challenge itself, while Kelpie's proxy answers it for the client.",
      ],
    };
  } finally {
    websockify?.kill('SIGTERM');
    await virshOrThrow(host.uri, ['destroy', DOMAIN]).catch(() => undefined);
    await virshOrThrow(host.uri, ['undefine', DOMAIN]).catch(() => undefined);
    await p.close();
    await rm(dir, { recursive: true, force: true });
  }
}
