import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyVirshStderr, stderrMessage, virshErrorFromStderr } from './virsh-error';

const fx = (f: string) => readFileSync(join(__dirname, '..', '__fixtures__', f), 'utf8');

describe('virsh stderr → typed errors', () => {
  it('classifies captured libvirt 9 messages', () => {
    expect(classifyVirshStderr(fx('err-domain-not-found.txt'))).toBe('domain_not_found');
    expect(classifyVirshStderr(fx('err-operation-invalid.txt'))).toBe('operation_invalid');
    expect(classifyVirshStderr(fx('err-connect-failed.txt'))).toBe('connection_lost');
    expect(classifyVirshStderr(fx('event-stream-end.stderr.txt'))).toBe('connection_lost');
  });

  it.each([
    [
      "error: failed to get domain 'x'\nerror: Domain not found: no domain with matching name 'x'",
      'domain_not_found',
    ],
    [
      "error: Failed to destroy domain 'ext1'\nerror: Requested operation is not valid: domain is not running",
      'operation_invalid',
    ],
    ['error: End of file while reading data: Input/output error', 'connection_lost'],
    ['error: Cannot recv data: Connection reset by peer', 'connection_lost'],
    ['error: internal error: client socket is closed', 'connection_lost'],
    ['error: XML error: an os <type> must be specified', 'libvirt_error'],
  ])('%s → %s', (stderr, code) => {
    expect(classifyVirshStderr(stderr)).toBe(code);
  });

  it('keeps only the error lines as the message', () => {
    const e = virshErrorFromStderr(fx('err-operation-invalid.txt'), { exitCode: 1 });
    expect(e.code).toBe('operation_invalid');
    expect(e.message).toBe('Domain is already active');
    expect(stderrMessage('error: a\n\nerror: b\n')).toBe('a; b');
  });
});
