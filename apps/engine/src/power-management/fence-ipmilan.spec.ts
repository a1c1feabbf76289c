import { fenceAgentInput, interpretFenceOutput, IpmiTarget } from './fence-ipmilan';

const target: IpmiTarget = {
  address: '192.0.2.9',
  port: 6230,
  username: 'admin',
  password: ' p"w d ',
  lanplus: true,
};

describe('fence_ipmilan input', () => {
  it('passes every option on stdin, quoted (surrounding spaces and quotes of the password survive)', () => {
    const input = fenceAgentInput(target, 'off');
    expect(input).toContain('action="off"\n');
    expect(input).toContain('ip="192.0.2.9"\n');
    expect(input).toContain('ipport="6230"\n');
    expect(input).toContain('password=" p"w d "\n');
    expect(input).toContain('lanplus="1"\n');
    expect(input).not.toContain('cipher');
  });

  it('refuses a value with a line break (it would smuggle another option in)', () => {
    expect(() => fenceAgentInput({ ...target, password: 'x\naction=off' }, 'status')).toThrow(/line break/);
  });
});

describe('fence_ipmilan output', () => {
  it('reads the power status (exit 0 on, 2 off) and confirmed power changes', () => {
    expect(interpretFenceOutput('status', 0, 'Status: ON\n')).toMatchObject({ ok: true, powerStatus: 'on' });
    expect(interpretFenceOutput('status', 2, 'Status: OFF\n')).toMatchObject({
      ok: true,
      powerStatus: 'off',
    });
    expect(interpretFenceOutput('off', 0, 'Success: Powered OFF\n')).toMatchObject({
      ok: true,
      powerStatus: 'off',
    });
  });

  it('names the setting to fix: password, user, or address', () => {
    const log = (line: string) =>
      `2026-12-06 18:38:36,507 DEBUG: 1  Loading IANA PEN Registry...\n${line}\nError: Unable to establish IPMI v2 / RMCP+ session\n` +
      '2026-12-06 18:38:36,508 ERROR: Failed: Unable to obtain correct plug status or plug is not available\n';
    expect(interpretFenceOutput('status', 1, log('> RAKP 2 HMAC is invalid'))).toMatchObject({
      ok: false,
      field: 'password',
      detail: expect.stringMatching(/refused the password/),
    });
    expect(
      interpretFenceOutput('status', 1, log('RAKP 2 message indicates an error : unauthorized name')),
    ).toMatchObject({
      field: 'username',
    });
    expect(
      interpretFenceOutput('status', 1, '2026-12-06 18:38:00,304 ERROR: Connection timed out\n'),
    ).toMatchObject({
      field: 'address',
    });
  });

  it('otherwise reports the last meaningful line, without timestamps', () => {
    const r = interpretFenceOutput('on', 1, '2026-12-06 18:38:00,304 ERROR: Failed: something odd\n');
    expect(r).toEqual({ ok: false, detail: 'fence_ipmilan on failed (exit 1): Failed: something odd' });
  });
});
