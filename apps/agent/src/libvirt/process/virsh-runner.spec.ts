import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirshLineStream } from './line-stream';
import { VirshError } from './virsh-error';
import { VirshRunner } from './virsh-runner';

/** A fake `virsh`: behaviour chosen by the first argument after `-c URI`. */
function fakeVirsh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-virsh-'));
  const bin = join(dir, 'virsh');
  writeFileSync(
    bin,
    `#!/bin/sh
uri="$2"; shift 2
case "$1" in
  echo) shift; for a in "$@"; do printf '%s\\n' "$a"; done; printf 'uri=%s\\n' "$uri" ;;
  fail) echo "error: failed to get domain 'x'" >&2; exit 1 ;;
  hang) trap '' TERM; sleep 30 ;;
  stream) echo "2026-11-25 10:00:00.123+0000: event 'lifecycle' for domain 'a': Started Booted"; echo "noise"; echo "error: internal error: client socket is closed" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

describe('VirshRunner', () => {
  const binary = fakeVirsh();

  it('passes arguments as an array (no shell) with -c <uri>', async () => {
    const r = new VirshRunner({ uri: 'qemu:///system', binary });
    const { stdout } = await r.run(['echo', "a b'; rm -rf /", '$(id)']);
    expect(stdout.split('\n')).toEqual(["a b'; rm -rf /", '$(id)', 'uri=qemu:///system', '']);
  });

  it('turns stderr into a typed VirshError', async () => {
    const r = new VirshRunner({ uri: 'x', binary });
    await expect(r.run(['fail'])).rejects.toMatchObject({
      code: 'domain_not_found',
      message: "failed to get domain 'x'",
    });
  });

  it('times out: SIGTERM, then SIGKILL when ignored', async () => {
    const r = new VirshRunner({ uri: 'x', binary, killGraceMs: 200 });
    const t0 = Date.now();
    const err = (await r.run(['hang'], { timeoutMs: 300 }).catch((e: unknown) => e)) as VirshError;
    expect(err).toBeInstanceOf(VirshError);
    expect(err.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('line stream delivers lines, then onEnd with the classified error', async () => {
    const r = new VirshRunner({ uri: 'x', binary });
    const lines: string[] = [];
    const end = await new Promise<{ code?: string }>((resolve) => {
      new VirshLineStream(r, ['stream'], {
        onLine: (l) => lines.push(l),
        onEnd: ({ error }) => resolve({ code: error?.code }),
      }).start();
    });
    expect(lines).toHaveLength(2);
    expect(end.code).toBe('connection_lost');
  });
});
