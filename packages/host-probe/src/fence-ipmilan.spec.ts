import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fenceAgentInput, interpretFenceOutput, ipmitoolEnvWrapper, IpmiTarget } from './fence-ipmilan';

const target: IpmiTarget = {
  address: '192.0.2.9',
  port: 6230,
  username: 'admin',
  password: ' p"w d ',
  lanplus: true,
};

describe('fence_ipmilan input', () => {
  it('passes every option on stdin, quoted, but not the password (it goes in the environment)', () => {
    const input = fenceAgentInput(target, 'off', '/run/x/ipmitool-env');
    expect(input).toContain('action="off"\n');
    expect(input).toContain('ip="192.0.2.9"\n');
    expect(input).toContain('ipport="6230"\n');
    expect(input).toContain('ipmitool_path="/run/x/ipmitool-env"\n');
    expect(input).toContain('lanplus="1"\n');
    expect(input).not.toContain('password');
    expect(input).not.toContain('p"w d');
    expect(input).not.toContain('cipher');
  });

  it('bounds every wait of the agent: a dead BMC must be declared unreachable in seconds, not a minute', () => {
    const input = fenceAgentInput(target, 'status', '/w');
    expect(input).toContain('login_timeout="5"\n');
    expect(input).toContain('power_timeout="10"\n');
    expect(input).toContain('shell_timeout="5"\n');
    expect(input).toContain('retry_on="1"\n');
  });

  it('refuses a value with a line break (it would smuggle another option in)', () => {
    expect(() => fenceAgentInput({ ...target, username: 'x\naction=off' }, 'status', '/w')).toThrow(
      /line break/,
    );
  });

  it('the ipmitool wrapper drops -P and its value and runs ipmitool -E with the other arguments intact', async () => {
    const wrapper = await ipmitoolEnvWrapper();
    // A fake ipmitool first on PATH prints its argv and the password it got from its environment.
    const bin = mkdtempSync(join(tmpdir(), 'fake-ipmitool-'));
    writeFileSync(join(bin, 'ipmitool'), '#!/bin/sh\nprintf "%s|" "$@"; printf "env=%s" "$IPMI_PASSWORD"\n', {
      mode: 0o755,
    });
    const args = [
      '-I',
      'lanplus',
      '-H',
      '10.0.0.1',
      '-U',
      'a b',
      '-P',
      'p w',
      '-C',
      '3',
      'chassis',
      'power',
      'status',
    ];
    const r = spawnSync(wrapper, args, {
      env: { PATH: `${bin}:/usr/bin:/bin`, IPMI_PASSWORD: ' p"w d ' },
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('-E|-I|lanplus|-H|10.0.0.1|-U|a b|-C|3|chassis|power|status|env= p"w d ');
    // fence_ipmilan without a password option passes -P '' (an empty argument): dropped too.
    const empty = spawnSync(wrapper, ['-H', 'h', '-P', '', 'chassis'], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
    expect(empty.stdout).toBe('-E|-H|h|chassis|env=');
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
