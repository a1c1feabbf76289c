import { CommandFailureCode, ErrorCode } from '@kelpie/shared-types';
import { ArgumentsHost, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { DomainErrorFilter } from '../common/errors/domain-error.filter';
import { HTTP_STATUS_BY_CODE } from '../common/errors/http-status';
import { AgentCommandError } from './agent-command.error';
import {
  AGENT_ERROR_TO_API,
  agentFailureAsDomainError,
  apiCodeOf,
  fromAgentError,
} from './agent-error.mapping';

const expected: Record<AgentCommandError['code'], ErrorCode> = {
  not_delivered: 'host_unavailable',
  connection_lost: 'host_unavailable',
  command_lost: 'host_unavailable',
  outcome_unknown: 'host_unavailable',
  timeout: 'host_unavailable',
  operation_invalid: 'invalid_state',
  domain_not_found: 'invalid_state',
  libvirt_error: 'unprocessable',
  invalid_payload: 'unprocessable',
  unknown_command: 'unprocessable',
  incompatible_protocol: 'unprocessable',
  task_fenced: 'conflict',
  signature_invalid: 'unprocessable',
  internal: 'internal',
};

describe('agent error mapping', () => {
  const every = CommandFailureCode.options;

  it('has exactly one row per agent code (and the bus codes not_delivered, command_lost)', () => {
    expect(Object.keys(AGENT_ERROR_TO_API).sort()).toEqual([...every].sort());
  });

  it.each(every)('%s → its API code, with what was attempted and the agent code in the message', (code) => {
    const err = new AgentCommandError({ code, message: 'virsh said no' });
    expect(apiCodeOf(err)).toBe(expected[code]);
    const mapped = fromAgentError(err, 'vm.start on h1');
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({
      code: expected[code],
      message: `vm.start on h1: virsh said no (${code})`,
    });
  });

  it('leaves domain errors and other errors as they are', () => {
    const domain = new DomainError('not_found', 'gone');
    expect(fromAgentError(domain)).toBe(domain);
    const bug = new TypeError('x is undefined');
    expect(fromAgentError(bug)).toBe(bug);
    expect(fromAgentError('text')).toEqual(new Error('text'));
  });
});

describe('an agent failure that reaches a request unwrapped', () => {
  /** What the app's filter (with the agents' translator) answers for `exception`. */
  function answer(exception: unknown) {
    const res = { status: jest.fn().mockReturnThis(), json: jest.fn().mockReturnThis() };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ method: 'POST', url: '/x' }), getResponse: () => res }),
    } as unknown as ArgumentsHost;
    new DomainErrorFilter([agentFailureAsDomainError]).catch(exception, host);
    return { status: res.status.mock.calls[0][0] as number, body: res.json.mock.calls[0][0] };
  }
  let error: jest.SpyInstance;
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(CommandFailureCode.options)('%s gets the status of its API code, not a 500', (code) => {
    const { status, body } = answer(new AgentCommandError({ code, message: 'virsh said no' }));
    expect(status).toBe(HTTP_STATUS_BY_CODE[expected[code]]);
    expect(body).toEqual({ code: expected[code], message: `virsh said no (${code})`, details: undefined });
    if (code !== 'internal') expect(error).not.toHaveBeenCalled();
  });

  it('the translator leaves other errors to the filter', () => {
    expect(agentFailureAsDomainError(new Error('bug'))).toBeUndefined();
    expect(answer(new Error('bug')).status).toBe(500);
  });
});
