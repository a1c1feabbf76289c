import {
  AGENT_ERROR_PREFIX,
  PROTOCOL_VERSION,
  decodeAgentError,
  encodeAgentError,
} from '@kelpie/shared-types';
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { readdir, readFile } from 'node:fs/promises';
import { runTool } from '../libvirt/operations/clone';
import { VirshError, VirshRunner } from '../libvirt/process';
import { AgentError, toAgentError, toBullError } from '../errors/agent-error';
import { CommandDispatcher, validateCommand } from './dispatcher';
import { CommandRegistry } from './registry';

const log = pino({ level: 'silent' });
const ctx = { jobId: '1', log, progress: async () => undefined };
const UUID = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const SNAP = {
  uuid: UUID,
  name: 'a',
  state: 'running',
  persistent: true,
  managed: true,
  vcpus: 1,
  memoryKiB: 1,
  maxMemoryKiB: 1,
};

function setup() {
  const calls: string[] = [];
  const r = new CommandRegistry()
    .register('vm.start', async (p) => {
      calls.push(`start ${p.uuid}`);
      return { ...SNAP, uuid: p.uuid, state: 'running' as const };
    })
    .register('host.sleep', async (p) => {
      calls.push(`sleep ${p.ms}`);
      return { ok: true as const };
    })
    .register('host.refresh', async () => ({ domains: 'many' }) as never)
    .register('vm.destroy', async () => {
      throw new VirshError('domain_not_found', "failed to get domain 'x'");
    });
  return { calls, d: new CommandDispatcher(r) };
}

const env = (name: string, payload: unknown, protocolVersion = PROTOCOL_VERSION) => ({
  name,
  protocolVersion,
  payload,
  correlationId: 'c1',
});

async function failure(p: Promise<unknown>): Promise<AgentError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AgentError);
  return e as AgentError;
}

describe('CommandDispatcher', () => {
  it('runs a valid command and validates its result', async () => {
    const { d, calls } = setup();
    await expect(d.dispatch(env('vm.start', { uuid: UUID }), ctx)).resolves.toMatchObject({
      name: 'vm.start',
      result: { uuid: UUID },
    });
    expect(calls).toEqual([`start ${UUID}`]);
  });

  it.each([
    ['bad uuid', env('vm.start', { uuid: 'not-a-uuid' }), 'invalid_payload'],
    ['missing field', env('vm.start', {}), 'invalid_payload'],
    ['out of range', env('host.sleep', { ms: -1 }), 'invalid_payload'],
    ['not an envelope', { hello: 1 }, 'invalid_payload'],
    ['unknown command', env('vm.teleport', {}), 'unknown_command'],
    ['other protocol', env('vm.start', { uuid: UUID }, PROTOCOL_VERSION + 1), 'incompatible_protocol'],
  ])('rejects %s without executing anything', async (_n, data, code) => {
    const { d, calls } = setup();
    const e = await failure(d.dispatch(data, ctx));
    expect(e.code).toBe(code);
    expect(calls).toEqual([]);
    expect(() => validateCommand(data)).toThrow(AgentError);
  });

  it('an invalid handler result is an internal error', async () => {
    const { d } = setup();
    expect((await failure(d.dispatch(env('host.refresh', {}), ctx))).code).toBe('internal');
  });

  it('a VirshError keeps its code', async () => {
    const { d } = setup();
    expect((await failure(d.dispatch(env('vm.destroy', { uuid: UUID }), ctx))).code).toBe('domain_not_found');
  });
});

/** Pids of processes whose command line is exactly `argv` (from /proc). */
async function processesRunning(argv: string[]): Promise<number[]> {
  const wanted = argv.join('\0');
  const pids: number[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.replace(/\0$/, '') === wanted) pids.push(Number(pid));
  }
  return pids;
}

describe('CommandDispatcher timeout cancels the work', () => {
  const waitFor = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await what()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('kills the child process a handler runs when the command times out (the process is gone)', async () => {
    // A unique duration names this test's process among everything running on the machine.
    const argv = ['sleep', `${300 + Math.floor(Math.random() * 1000)}.${process.pid}`];
    let handlerError: unknown;
    const r = new CommandRegistry().register('host.sleep', async (_p, c) => {
      await runTool(argv[0]!, argv.slice(1), { signal: c.signal }).catch((e: unknown) => {
        handlerError = e;
        throw e;
      });
      return { ok: true as const };
    });
    const running = new CommandDispatcher(r).dispatch(env('host.sleep', { ms: 1 }), {
      ...ctx,
      timeoutMs: 500,
    });
    await waitFor(async () => (await processesRunning(argv)).length > 0);
    expect(await processesRunning(argv)).toHaveLength(1);
    const e = await failure(running);
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/cancelled/);
    // The answer waited for the handler: its child is already gone, and it saw the cancellation.
    expect(await processesRunning(argv)).toEqual([]);
    expect(handlerError).toMatchObject({ code: 'timeout' });
  });

  it('virsh calls given the signal are killed too', async () => {
    const argv = ['sleep', `${1300 + Math.floor(Math.random() * 1000)}.${process.pid}`];
    // `sleep -c X <seconds>` is not valid: a runner whose "virsh" is env(1) running sleep instead.
    const runner = new VirshRunner({ uri: 'unused', binary: 'env', killGraceMs: 200 });
    runner.argv = (args) => [...args];
    const abort = new AbortController();
    const call = runner.run(argv, { signal: abort.signal }).catch((x: unknown) => x);
    await waitFor(async () => (await processesRunning(argv)).length > 0);
    abort.abort();
    expect(await call).toMatchObject({ code: 'timeout', message: expect.stringMatching(/cancelled/) });
    await waitFor(async () => (await processesRunning(argv)).length === 0);
    expect(await processesRunning(argv)).toEqual([]);
  });
});

describe('agent error encoding (failedReason format)', () => {
  it('round-trips through encode/decode', () => {
    const s = encodeAgentError({ code: 'invalid_payload', message: 'uuid: Invalid UUID' });
    expect(s).toBe(`${AGENT_ERROR_PREFIX}{"code":"invalid_payload","message":"uuid: Invalid UUID"}`);
    expect(decodeAgentError(s)).toEqual({ code: 'invalid_payload', message: 'uuid: Invalid UUID' });
  });

  it('anything else decodes to internal', () => {
    expect(decodeAgentError('job stalled more than allowable limit')).toEqual({
      code: 'internal',
      message: 'job stalled more than allowable limit',
    });
    expect(decodeAgentError(`${AGENT_ERROR_PREFIX}{bad json`).code).toBe('internal');
    expect(decodeAgentError(undefined).code).toBe('internal');
  });

  it('permanent failures are UnrecoverableError (no BullMQ retry), transient ones are not', () => {
    expect(toBullError(new AgentError('invalid_payload', 'x'))).toBeInstanceOf(UnrecoverableError);
    expect(toBullError(new AgentError('connection_lost', 'x'))).not.toBeInstanceOf(UnrecoverableError);
    expect(decodeAgentError(toBullError(toAgentError(new Error('boom'))).message)).toEqual({
      code: 'internal',
      message: 'boom',
    });
  });
});
