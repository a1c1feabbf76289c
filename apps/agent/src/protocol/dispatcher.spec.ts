import {
  AGENT_ERROR_PREFIX,
  PROTOCOL_VERSION,
  decodeAgentError,
  encodeAgentError,
} from '@kelpie/shared-types';
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { VirshError } from '../libvirt/process';
import { AgentError, toAgentError, toBullError } from './agent-error';
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
