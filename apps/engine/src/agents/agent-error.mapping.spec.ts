import { CommandFailureCode, ErrorCode } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { AgentCommandError } from './agent-command.error';
import { AGENT_ERROR_TO_API, apiCodeOf, fromAgentError } from './agent-error.mapping';

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
