import { virshOrThrow } from '@kelpie/lab';
import { commandQueueName } from '@kelpie/shared-types';
import type { Task, Vm } from '@kelpie/shared-types';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { EngineProcess, REDIS_URL } from '../lib/engine-process';
import { interleave } from '../lib/interleave';
import { fmt, summarize } from '../lib/stats';
import { runTask, until } from '../lib/tasks';
import { withTinyDomain } from '../lib/tiny-domain';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/types';

const DOMAIN = 'kb-life';

/** Benchmark 1: start/destroy of one idle domain through the API vs raw virsh, interleaved. */
export const vmLifecycle: Benchmark = {
  name: 'vm-lifecycle',
  title: '1. VM start/destroy through the API vs raw virsh',
  description:
    'One lab host with a real agent, the engine in its own process. The same 64 MiB no-OS domain (QEMU start-up dominates) is started and destroyed N times through the API — `POST /vms/{id}/start` and `/poweroff`, each until its task has succeeded (long poll `GET /tasks/{id}?wait=`; the task succeeds only once libvirt reported the new state) — and N times with raw `virsh start` / `virsh destroy` from the benchmark process to the same host. The two methods alternate cycle by cycle so machine load hits both alike.',
  run,
};

interface Cycle {
  startMs: number;
  stopMs: number;
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const cycles = ctx.quick ? 5 : 20;
  return withTinyDomain(ctx, DOMAIN, async ({ p, uri, id, events }) => {
    const e = p.engine;
    const status = async () => (await e.api<Vm>('GET', `/api/v1/vms/${id}`)).body.status as string;
    await until(
      'the engine records the domain (external, down)',
      async () => (await status()) === 'down',
      30_000,
    );

    // Where an API action's time goes: POST → libvirt event seen by a raw reader → task final, and
    // the agent command's BullMQ stamps (queued, picked up, finished) matched by task id afterwards.
    const apiToEvent: number[] = [];
    const eventToFinal: number[] = [];
    const queuedMs: number[] = [];
    const actions: { taskId: string; postAt: number; eventAt: number; finalAt: number }[] = [];
    const apiCycle = async (): Promise<Cycle> => {
      const one = async (path: string, event: string) => {
        const s = performance.now();
        const postAt = Date.now();
        const seen = events.next(event, 60_000);
        const task: Task = await runTask(e, `/api/v1/vms/${id}/${path}`);
        const done = performance.now();
        const ev = await seen;
        actions.push({ taskId: task.id, postAt, eventAt: ev.at, finalAt: Date.now() });
        apiToEvent.push(ev.mono - s);
        eventToFinal.push(done - ev.mono);
        if (task.startedAt) queuedMs.push(Date.parse(task.startedAt) - Date.parse(task.createdAt));
        return done - s;
      };
      const startMs = await one('start', 'Started');
      const stopMs = await one('poweroff', 'Stopped');
      return { startMs, stopMs };
    };
    const rawCycle = async (): Promise<Cycle> => {
      let s = performance.now();
      await virshOrThrow(uri, ['start', DOMAIN]);
      const startMs = performance.now() - s;
      await events.next('Started', 10_000);
      // Untimed: the engine follows the raw changes (an API action is refused on a stale state).
      await until('the engine sees the raw start', async () => (await status()) === 'up', 30_000, 20);
      s = performance.now();
      await virshOrThrow(uri, ['destroy', DOMAIN]);
      const stopMs = performance.now() - s;
      await events.next('Stopped', 10_000);
      await until('the engine sees the raw destroy', async () => (await status()) === 'down', 30_000, 20);
      return { startMs, stopMs };
    };

    const {
      baseline: raw,
      kelpie: api,
      loads,
    } = await interleave(
      cycles,
      rawCycle,
      apiCycle,
      (i, r, a) =>
        ctx.log(
          `cycle ${i + 1}/${cycles}: api ${fmt(a.startMs)} + ${fmt(a.stopMs)} ms, raw ${fmt(r.startMs)} + ${fmt(r.stopMs)} ms`,
        ),
      () => (apiToEvent.length = eventToFinal.length = queuedMs.length = actions.length = 0),
    );

    const sum = (c: Cycle[], k?: keyof Cycle) => summarize(c.map((x) => (k ? x[k] : x.startMs + x.stopMs)));
    const apiCyc = sum(api);
    const rawCyc = sum(raw);
    const apiStart = sum(api, 'startMs');
    const rawStart = sum(raw, 'startMs');
    const apiStop = sum(api, 'stopMs');
    const rawStop = sum(raw, 'stopMs');
    const ratio = apiCyc.p50 / rawCyc.p50;
    const toEvent = summarize(apiToEvent);
    const toFinal = summarize(eventToFinal);
    const stages = await commandStages(e, p.hostIds.h1, actions);
    const breakdown = `POST → command queued ${fmt(stages.toQueued.p50)} ms, → picked up by the agent ${fmt(stages.toPicked.p50)} ms, agent handling ${fmt(stages.agent.p50)} ms, → task final ${fmt(stages.toFinal.p50)} ms (libvirt event ${fmt(toEvent.p50)} ms after the POST, task final ${fmt(toFinal.p50)} ms after the event)`;
    for (const [name, st] of Object.entries(stages.byCommand))
      ctx.log(
        `${name}: queued ${fmt(st.toQueued.p50)}, picked ${fmt(st.toPicked.p50)}, agent ${fmt(st.agent.p50)}, final ${fmt(st.toFinal.p50)} ms`,
      );
    ctx.log(
      `cycle p50: api ${fmt(apiCyc.p50)} ms, raw ${fmt(rawCyc.p50)} ms, ratio ${fmt(ratio)}; ${breakdown}`,
    );
    const met = ratio <= 1.15;
    return {
      rows: [
        {
          what: `start + destroy cycle, p50 / p90 (${cycles} cycles each)`,
          baseline: `${fmt(rawCyc.p50)} / ${fmt(rawCyc.p90)} ms (raw virsh)`,
          result: `${fmt(apiCyc.p50)} / ${fmt(apiCyc.p90)} ms`,
          ratio,
          target: 'ratio ≤ 1.15',
          met,
          limits: met ? undefined : breakdown,
        },
        {
          what: 'start, p50 / p90',
          baseline: `${fmt(rawStart.p50)} / ${fmt(rawStart.p90)} ms`,
          result: `${fmt(apiStart.p50)} / ${fmt(apiStart.p90)} ms`,
          ratio: apiStart.p50 / rawStart.p50,
          target: null,
          met: null,
        },
        {
          what: 'destroy (`poweroff`), p50 / p90',
          baseline: `${fmt(rawStop.p50)} / ${fmt(rawStop.p90)} ms`,
          result: `${fmt(apiStop.p50)} / ${fmt(apiStop.p90)} ms`,
          ratio: apiStop.p50 / rawStop.p50,
          target: null,
          met: null,
        },
        {
          what: 'where the API time goes (p50 over all start and destroy actions)',
          baseline: null,
          result: breakdown,
          ratio: null,
          target: null,
          met: null,
        },
      ],
      details: {
        cycles,
        api: { cycle: apiCyc, start: apiStart, stop: apiStop },
        raw: { cycle: rawCyc, start: rawStart, stop: rawStop },
        apiToEvent: toEvent,
        eventToFinal: toFinal,
        queued: summarize(queuedMs),
        stages,
        loadavg1: loads,
        samples: { api, raw },
      },
      notes: [
        `Load average during the cycles: ${loads.map((l) => fmt(l)).join(', ')}.`,
        'The raw side runs `virsh -c qemu+tcp://<host>/system start|destroy` from the benchmark process (a new virsh connection each time, as a script would); the API side includes HTTP, the task record, BullMQ to the agent, the agent’s virsh calls (it reads the domain before and after acting), the libvirt event back through Redis, and the task’s confirmation.',
        'After each raw destroy the benchmark waits (untimed) until the engine shows the VM down, otherwise the next API start would be refused as invalid for a running VM.',
      ],
    };
  });
}

/** The agent command behind each API action, from BullMQ's own stamps (ms since epoch, one clock). */
async function commandStages(
  e: EngineProcess,
  hostId: string,
  actions: { taskId: string; postAt: number; finalAt: number }[],
) {
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(commandQueueName(hostId), { connection, prefix: e.redisPrefix });
  try {
    const jobs = await queue.getJobs(['completed'], 0, 1000);
    const byTask = new Map(jobs.map((j) => [(j.data as { taskId?: string }).taskId, j]));
    const stage = () => ({
      toQueued: [] as number[],
      toPicked: [] as number[],
      agent: [] as number[],
      toFinal: [] as number[],
    });
    const all = stage();
    const byCommand: Record<string, ReturnType<typeof stage>> = {};
    for (const a of actions) {
      const j = byTask.get(a.taskId);
      if (!j?.processedOn || !j.finishedOn) continue;
      for (const s of [all, (byCommand[j.name] ??= stage())]) {
        s.toQueued.push(j.timestamp - a.postAt);
        s.toPicked.push(j.processedOn - j.timestamp);
        s.agent.push(j.finishedOn - j.processedOn);
        s.toFinal.push(a.finalAt - j.finishedOn);
      }
    }
    const sum = (s: ReturnType<typeof stage>) => ({
      toQueued: summarize(s.toQueued),
      toPicked: summarize(s.toPicked),
      agent: summarize(s.agent),
      toFinal: summarize(s.toFinal),
    });
    return {
      ...sum(all),
      byCommand: Object.fromEntries(Object.entries(byCommand).map(([k, v]) => [k, sum(v)])),
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
