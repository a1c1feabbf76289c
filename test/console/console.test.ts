import { authHeaders, createTestUser } from '../support/auth';
import { testGuest, virshOrThrow } from '@kelpie/lab';
import { ConsoleTicket, Vm } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleProxyService, readExact, vncAuthResponse } from '@kelpie/engine/testing';
import { rawFullUpdates, rfbHandshake } from '../../bench/src/lib/rfb-client';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { connectionsTo, defineAndStart, openWs, rfbThroughProxy } from './console-support';

/** Console tickets and the WebSocket proxy against real QEMU VNC servers and serial
 * consoles in lab hosts (lab kc, 10.84.0.0/24). */
const TICKET_TTL_MS = 3000;
let p: TestPlatform;
let dir: string;
let vmId: string;
let serialLog: string;

const uriOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;
const ipOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.ip;
const wsUrl = (path: string) => p.engine.baseUrl.replace(/^http/, 'ws') + path;
const getVm = async () => (await p.engine.api('GET', `/api/v1/vms/${vmId}`)).body as Vm;
const ticketFor = async (kind: 'console' | 'serial-console' = 'console') => {
  const res = await p.engine.api('POST', `/api/v1/vms/${vmId}/${kind}`);
  expect(res.status).toBe(201);
  return res.body as ConsoleTicket;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kelpie-console-'));
  p = await startTestPlatform({
    labName: 'kc',
    subnet: 84,
    hosts: 2,
    engineEnv: { KELPIE_CONSOLE_TICKET_TTL_MS: String(TICKET_TTL_MS) },
  });
  const guest = await testGuest();
  const started = await defineAndStart(p.lab, uriOf('h1'), dir, 'kc-con1', guest, p.labStatus.sharedDir);
  vmId = started.uuid;
  serialLog = started.serialLog;
  await eventually(
    'the guest recorded as a running external VM with its VNC port',
    async () => {
      const vm = (await p.engine.api('GET', `/api/v1/vms/${vmId}`)).body as Vm & { graphicsPort?: number };
      return vm.status === 'up' && vm.hostId === p.hosts.h1.id && vm.graphicsPort ? vm : undefined;
    },
    30_000,
  );
}, 120_000);

afterAll(async () => {
  await p?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('VM console tickets and proxy', () => {
  it('records the live VNC port the agent reports', async () => {
    const vm = (await getVm()) as Vm & { graphicsPort: number };
    const xml = await virshOrThrow(uriOf('h1'), ['dumpxml', 'kc-con1']);
    expect(xml).toContain(`port='${vm.graphicsPort}'`);
  });

  it('a direct VNC connection without the per-session password is refused', async () => {
    const vm = (await getVm()) as Vm & { graphicsPort: number };
    const s = connect({ host: ipOf('h1'), port: vm.graphicsPort });
    await new Promise((r) => s.once('connect', r));
    expect((await readExact(s, 12, 5000, 'version')).toString()).toBe('RFB 003.008\n');
    s.write('RFB 003.008\n');
    const n = (await readExact(s, 1, 5000, 'count'))[0];
    const types = [...(await readExact(s, n, 5000, 'types'))];
    expect(types).toEqual([2]); // VNC authentication only, no "None"
    s.write(Buffer.from([2]));
    const challenge = await readExact(s, 16, 5000, 'challenge');
    s.write(vncAuthResponse('guessed1', challenge));
    expect((await readExact(s, 4, 5000, 'result')).readUInt32BE(0)).not.toBe(0);
    s.destroy();
  });

  it('issues a one-time ticket and proxies the real VNC server (auth done by the engine)', async () => {
    const t = await ticketFor();
    expect(t.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t.password).toBeUndefined();
    expect(Date.parse(t.expiresAt) - Date.now()).toBeLessThanOrEqual(TICKET_TTL_MS);
    expect(t.wsPath).toContain(`vm=${vmId}`);
    // Nothing about the ticket is kept in the clear (Redis key = SHA-256 of the ticket).
    const res = await openWs(wsUrl(t.wsPath));
    expect(res.status).toBeUndefined();
    const fb = await rfbThroughProxy(res.ws!, res.stream!);
    expect(fb.width).toBeGreaterThan(0);
    expect(fb.height).toBeGreaterThan(0);
    expect(fb.name).toContain('kc-con1');
  });

  it('a ticket opens the console only on the connection of the user who asked for it', async () => {
    const other = await createTestUser(p.engine, 'viewer', {
      grants: [{ role: 'VmUser', objectType: 'vm', objectId: vmId }],
    });
    const byOther = await openWs(wsUrl((await ticketFor()).wsPath), authHeaders(other.token));
    expect(byOther.status).toBe(403);
    expect(byOther.ws ? '' : byOther.body).toContain('issued to another user');
    const own = await p.engine.api(
      'POST',
      `/api/v1/vms/${vmId}/console`,
      undefined,
      authHeaders(other.token),
    );
    expect(own.status).toBe(201);
    const res = await openWs(wsUrl(own.body.wsPath), authHeaders(other.token));
    expect(res.status).toBeUndefined();
    expect((await rfbThroughProxy(res.ws!, res.stream!)).width).toBeGreaterThan(0);
    res.ws!.close();
  });

  it('relays whole Raw framebuffers byte-exactly (RFB message boundaries intact through the relay)', async () => {
    const res = await openWs(wsUrl((await ticketFor()).wsPath));
    expect(res.status).toBeUndefined();
    try {
      const session = await rfbHandshake(res.stream!);
      // The parser fails on the first byte out of place (unknown message type or encoding).
      const { bytes } = await rawFullUpdates(res.stream!, session, 5);
      expect(bytes).toBeGreaterThanOrEqual(5 * session.width * session.height * (session.bitsPerPixel / 8));
    } finally {
      res.ws!.close();
    }
  });

  it('refuses reused, expired, other-VM and garbage tickets before connecting anywhere', async () => {
    const vm = (await getVm()) as Vm & { graphicsPort: number };
    const used = await ticketFor();
    const first = await openWs(wsUrl(used.wsPath));
    expect(first.ws).toBeDefined();
    first.ws!.close();
    await eventually(
      'proxied VNC connection gone',
      async () => (await connectionsTo(p.lab, 'h1', vm.graphicsPort)).every((l) => !/ESTAB/.test(l)),
      10_000,
    );
    const before = (await connectionsTo(p.lab, 'h1', vm.graphicsPort)).length;

    const expired = await ticketFor();
    await new Promise((r) => setTimeout(r, TICKET_TTL_MS + 500));
    const otherVm = await ticketFor();
    const attempts: Array<[string, string, number]> = [
      ['reused', used.wsPath, 401],
      ['expired', expired.wsPath, 401],
      ['other VM', otherVm.wsPath.replace(vmId, randomUUID()), 403],
      ['garbage', `/api/v1/console/ws?vm=${vmId}&ticket=${'x'.repeat(43)}`, 401],
      ['malformed', `/api/v1/console/ws?vm=${vmId}&ticket=%27%3B--`, 401],
      ['missing', `/api/v1/console/ws?vm=${vmId}`, 401],
    ];
    for (const [what, path, status] of attempts) {
      const r = await openWs(wsUrl(path));
      expect({ what, status: r.status }).toEqual({ what, status });
    }
    // The other-VM ticket was consumed by the refused attempt: it is not good for its own VM either.
    expect((await openWs(wsUrl(otherVm.wsPath))).status).toBe(401);
    // No connection to the VNC server was made for any of them.
    await new Promise((r) => setTimeout(r, 300));
    expect((await connectionsTo(p.lab, 'h1', vm.graphicsPort)).length).toBeLessThanOrEqual(before);
    // And the proxy holds no session.
    expect(p.engine.app.get(ConsoleProxyService).sessionCount).toBe(0);
  });

  it('refuses a ticket for a VM that is not running (409) and an unknown VM (404)', async () => {
    const down = await p.engine.api('POST', '/api/v1/vms', {
      name: 'kc-down',
      clusterId: p.clusterId,
      vcpus: 1,
      memoryMib: 128,
    });
    expect(down.status).toBe(201);
    const r = await p.engine.api('POST', `/api/v1/vms/${down.body.id}/console`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('invalid_state');
    expect((await p.engine.api('POST', `/api/v1/vms/${randomUUID()}/console`)).status).toBe(404);
    expect((await p.engine.api('POST', `/api/v1/vms/not-a-uuid/console`)).status).toBe(400);
  });

  it('serial console: a newline gets the guest shell prompt', async () => {
    await eventually(
      'guest ready',
      async () => (await readFile(serialLog, 'utf8')).includes('KELPIE-GUEST-READY'),
      60_000,
      250,
    );
    const t = await ticketFor('serial-console');
    expect(t.kind).toBe('serial');
    const res = await openWs(wsUrl(t.wsPath));
    expect(res.ws).toBeDefined();
    const s = res.stream!;
    let seen = '';
    s.on('data', (c: Buffer) => (seen += c.toString('utf8')));
    // QEMU notices the opened pty within ~1 s; keep poking until the shell answers.
    await eventually(
      'shell prompt on the serial console',
      async () => {
        s.write('echo kelpie-$((6*7))\r');
        await new Promise((r) => setTimeout(r, 500));
        return /kelpie-42/.test(seen) && /# /.test(seen);
      },
      20_000,
      100,
    );
    res.ws!.close();
    // The agent's one-shot listener is gone once the session started: the ticket cannot be replayed.
    expect((await openWs(wsUrl(t.wsPath))).status).toBe(401);
  });

  it('a VM created and started through the API starts VNC-locked; a ticket opens it through the proxy', async () => {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await p.engine.api(method, `/api/v1${path}`, body);
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; status?: string };
    };
    const waitTask = async (t: { id: string }) => {
      for (;;) {
        const task = await api('GET', `/tasks/${t.id}?wait=30000`);
        if (!['queued', 'running'].includes(task.status!)) return task;
      }
    };
    const sd = await api('POST', '/storage-domains', {
      name: 'kc-shared',
      datacenterId: p.datacenterId,
      type: 'dir',
      path: p.labStatus.sharedDir,
    });
    for (const action of ['attach', 'activate'])
      await waitTask((await api('POST', `/storage-domains/${sd.id}/${action}`)) as { id: string });
    const guest = await testGuest();
    const created = await api('POST', '/vms', {
      name: 'kc-kelpie1',
      clusterId: p.clusterId,
      hostId: p.hosts.h2.id,
      vcpus: 1,
      memoryMib: 96,
      disks: [{ sizeGiB: 1, storageDomainId: sd.id }],
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
      graphicsVnc: true,
    });
    const done = (await waitTask(created)) as unknown as { status: string; result: { vmId: string } };
    expect(done.status).toBe('succeeded');
    const id = done.result.vmId;
    expect(await waitTask(await api('POST', `/vms/${id}/start`))).toMatchObject({ status: 'succeeded' });
    // libvirt holds a VNC password that expired before the VM ever ran: nobody gets in without a ticket.
    const xml = await virshOrThrow(uriOf('h2'), ['dumpxml', '--security-info', id]);
    const validTo = /passwdValidTo='([^']+)'/.exec(xml)?.[1];
    expect(xml).toMatch(/<graphics type='vnc'[^>]* passwd='[^']{8,}'/);
    expect(Date.parse(`${validTo}Z`)).toBeLessThan(Date.now());
    const vm = (await eventually(
      'VNC port recorded',
      async () => {
        const v = (await p.engine.api('GET', `/api/v1/vms/${id}`)).body as Vm & {
          graphicsPort: number | null;
        };
        return v.status === 'up' && v.graphicsPort ? v : undefined;
      },
      20_000,
    )) as Vm & { graphicsPort: number };
    expect(xml).toContain(`port='${vm.graphicsPort}'`);

    const ticket = (await p.engine.api('POST', `/api/v1/vms/${id}/console`)).body as ConsoleTicket;
    const res = await openWs(wsUrl(ticket.wsPath));
    expect(res.ws).toBeDefined();
    const fb = await rfbThroughProxy(res.ws!, res.stream!);
    expect(fb.width).toBeGreaterThan(0);
    expect(fb.name).toContain('kc-kelpie1');
    res.ws!.close();
    await waitTask(await api('POST', `/vms/${id}/poweroff`));
    await api('DELETE', `/vms/${id}?withDisks=true`);
  });

  it('after the VM restarts (a new QEMU), a new ticket still opens its console', async () => {
    await ticketFor(); // the agent knows this display now
    await virshOrThrow(uriOf('h1'), ['destroy', 'kc-con1']);
    await eventually('the engine shows the VM down', async () => (await getVm()).status === 'down', 30_000);
    await virshOrThrow(uriOf('h1'), ['start', 'kc-con1'], 60_000);
    await eventually(
      'the engine shows the VM up with a VNC port',
      async () => {
        const vm = (await getVm()) as Vm & { graphicsPort: number | null };
        return vm.status === 'up' && !!vm.graphicsPort;
      },
      30_000,
    );
    const res = await openWs(wsUrl((await ticketFor()).wsPath));
    expect(res.status).toBeUndefined();
    expect((await rfbThroughProxy(res.ws!, res.stream!)).width).toBeGreaterThan(0);
  });

  it('after a live migration a new ticket opens the console on the new host', async () => {
    await virshOrThrow(uriOf('h1'), [
      'migrate',
      '--live',
      '--p2p',
      '--persistent',
      '--undefinesource',
      '--unsafe',
      'kc-con1',
      uriOf('h2'),
    ]);
    // The port QEMU listens on at h2 (it may differ from h1's): the engine must show that one.
    const display = (await virshOrThrow(uriOf('h2'), ['vncdisplay', 'kc-con1'])).trim();
    const h2Port = 5900 + Number(display.slice(display.lastIndexOf(':') + 1));
    const moved = (await eventually(
      `the engine shows the VM on h2 with its new VNC port ${h2Port}`,
      async () => {
        const vm = (await getVm()) as Vm & { graphicsPort: number | null };
        return vm.hostId === p.hosts.h2.id && vm.status === 'up' && vm.graphicsPort === h2Port
          ? vm
          : undefined;
      },
      30_000,
    )) as Vm & { graphicsPort: number };
    const t = await ticketFor();
    const res = await openWs(wsUrl(t.wsPath));
    expect(res.ws).toBeDefined();
    // The proxy's connection to QEMU on h2 is looked at while the session is open: once the client
    // closes it is gone, and `ss` inside the lab host's namespace can take seconds on a loaded machine.
    const fb = await rfbThroughProxy(res.ws!, res.stream!, () =>
      eventually(
        'proxy connection on h2',
        async () => (await connectionsTo(p.lab, 'h2', moved.graphicsPort)).some((l) => /ESTAB/.test(l)),
        20_000,
      ),
    );
    expect(fb.width).toBeGreaterThan(0);
  });
});
