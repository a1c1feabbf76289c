import type { AgentErrorCode } from '@kelpie/shared-types';

/** The failure classes a virsh call can end in; a subset of AgentErrorCode. */
export type VirshErrorCode = Extract<
  AgentErrorCode,
  'domain_not_found' | 'operation_invalid' | 'connection_lost' | 'timeout' | 'libvirt_error'
>;

export class VirshError extends Error {
  override readonly name = 'VirshError';
  constructor(
    readonly code: VirshErrorCode,
    message: string,
    readonly details: {
      args?: string[];
      stderr?: string;
      exitCode?: number | null;
      signal?: string | null;
    } = {},
  ) {
    super(message);
  }
}

/** Ordered: the first matching rule wins. Patterns are libvirt's/virsh's own English messages
 * (virsh runs with LC_ALL=C), captured from libvirt 9 (see __fixtures__/err-*.txt). */
const RULES: Array<[VirshErrorCode, RegExp]> = [
  [
    'connection_lost',
    /failed to connect to the hypervisor|End of file while reading data|Cannot recv data|Cannot write data|client socket is closed|Disconnected from .* due to|Failed to connect socket|no connection driver available|internal error: connection closed/i,
  ],
  ['domain_not_found', /Domain not found|failed to get domain|no domain with matching/i],
  [
    'operation_invalid',
    /Requested operation is not valid|Domain is already active|domain is not running|domain is already running|is not running/i,
  ],
];

/** The meaningful text of virsh's stderr: the `error: ` lines, without the prefix. */
export function stderrMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const errors = lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length));
  return (errors.length > 0 ? errors : lines).join('; ');
}

export function classifyVirshStderr(stderr: string): VirshErrorCode {
  for (const [code, re] of RULES) if (re.test(stderr)) return code;
  return 'libvirt_error';
}

export function virshErrorFromStderr(
  stderr: string,
  details: { args?: string[]; exitCode?: number | null; signal?: string | null } = {},
): VirshError {
  const message = stderrMessage(stderr) || `virsh exited with code ${details.exitCode ?? '?'}`;
  return new VirshError(classifyVirshStderr(stderr), message, { ...details, stderr });
}
