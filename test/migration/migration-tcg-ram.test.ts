import { testGuest, virshOrThrow } from '@kelpie/lab';
import type { Task, Vm } from '@kelpie/shared-types';
import { VmStatus } from '@kelpie/shared-types';
import { eventually } from '../support/platform';
import { MigrationKit } from './migration-kit';

/** ADR 0005: a VM that Kelpie defines on a TCG host gets its RAM padded past a multiple of
 * 64 pages, so QEMU 7.2 syncs its migration dirty bitmap on the path that resets the TCG TLB. Without
 * the padding a guest dirtying memory crashed in about a third of the live moves. Lab `kx88`. */
let k: MigrationKit;
const CRASH = /Oops|BUG:|general protection|Kernel panic|corruption|Unable to handle|invalid opcode/;
const PAD_KIB = 8;

beforeAll(async () => {
  k = await MigrationKit.start({ labName: 'kx88', subnet: 88, hosts: 2 });
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

async function done(res: { status: number; body: unknown }, what: string): Promise<Task> {
  if (res.status !== 202) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  const final = await k.waitTask((res.body as Task).id, 90_000);
  expect({ what, status: final.status, error: final.errorMessage }).toEqual({
    what,
    status: 'succeeded',
    error: null,
  });
  return final;
}

const serialLog = async (h: string, id: string) =>
  (await k.p.lab.execInHost(h, ['cat', `/var/log/libvirt/qemu/${id}.serial.log`])).stdout;
const beats = (log: string) => [...log.matchAll(/KELPIE-HEARTBEAT (\d+)/g)].map((m) => Number(m[1]));

/** `info ramblock` of the running domain: used bytes of Kelpie's padded backend. */
async function paddedRamBytes(h: string, id: string): Promise<number> {
  const out = await virshOrThrow(k.uriOf(h), ['qemu-monitor-command', id, '--hmp', 'info ramblock']);
  const row = out.split('\n').find((l) => l.trim().startsWith('kelpie-tcg-ram'));
  if (!row) throw new Error(`no kelpie-tcg-ram block:\n${out}`);
  return Number.parseInt(row.trim().split(/\s+/)[4]!, 16); // name, "4", "KiB", offset, used
}

it('pads the RAM of a Kelpie-defined TCG VM; it survives live moves while dirtying memory', async () => {
  const guest = await testGuest();
  const created = await done(
    await k.api('POST', '/api/v1/vms', {
      name: 'kx-tcg',
      clusterId: k.p.clusterId,
      hostId: k.hostId('h1'),
      vcpus: 1,
      memoryMib: 128,
      maxMemoryMib: 128,
      boot: {
        kind: 'kernel',
        kernel: guest.kernel,
        initrd: guest.initrd,
        cmdline: 'console=ttyS0 panic=-1 quiet kelpie.dirty_mib=32',
      },
      graphicsVnc: false,
    }),
    'create',
  );
  const id = created.target!.id;
  await done(await k.api('POST', `/api/v1/vms/${id}/start`), 'start');
  expect(await paddedRamBytes('h1', id)).toBe((128 * 1024 + PAD_KIB) * 1024);
  await eventually('heartbeat', async () => beats(await serialLog('h1', id)).length > 1, 45_000);

  let on = 'h1';
  for (let move = 1; move <= 6; move++) {
    const to = on === 'h1' ? 'h2' : 'h1';
    const before = await serialLog(to, id);
    await done(
      await k.api('POST', `/api/v1/vms/${id}/migrate`, { targetHostId: k.hostId(to), maxBandwidthMiBps: 30 }),
      `move ${move} ${on}→${to}`,
    );
    on = to;
    // The guest keeps beating on the new host (its serial log there grows), without an oops.
    const last = Math.max(-1, ...beats(await serialLog('h1', id)), ...beats(before));
    await eventually(
      `heartbeat after move ${move}`,
      async () => {
        const log = (await serialLog(on, id)).slice(before.length);
        if (CRASH.test(log)) throw new Error(`guest crashed after move ${move}:\n${log.slice(0, 1500)}`);
        return Math.max(-1, ...beats(log)) >= last + 2;
      },
      30_000,
    );
  }
  expect(await k.whereIs(id)).toEqual({ [on]: 'running' });

  // The padded backend follows the maximum memory of the definition.
  await done(await k.api('POST', `/api/v1/vms/${id}/poweroff`), 'power off');
  const edit = await k.api('PATCH', `/api/v1/vms/${id}`, { maxMemoryMib: 256 });
  expect(edit.status).toBe(200);
  const inactive = await virshOrThrow(k.uriOf(on), ['dumpxml', id, '--inactive']);
  expect(inactive).toContain(`value='${256 * 1024 + PAD_KIB}k'`);
  await done(await k.api('POST', `/api/v1/vms/${id}/start`), 'start after the edit');
  expect(await paddedRamBytes(on, id)).toBe((256 * 1024 + PAD_KIB) * 1024);
  expect(((await k.api('GET', `/api/v1/vms/${id}`)).body as Vm).status).toBe(VmStatus.Up);
  await done(await k.api('POST', `/api/v1/vms/${id}/poweroff`), 'power off');
}, 300_000);
