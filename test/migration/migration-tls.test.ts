import type { Cluster, MigrationTargets, Task } from '@kelpie/shared-types';
import { X509Certificate } from 'node:crypto';
import { readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../support/platform';
import { MigrationKit } from './migration-kit';

/** Live migration over TLS with the engine-issued host certificates (lab `kqt1`, 2 hosts): each
 * agent installs its host's certificate, the cluster's `migrationEncrypted` (default on) makes the
 * agent run `virsh migrate --tls`, and the source libvirtd's QMP traffic shows QEMU carrying the
 * stream over TLS; off, the same move is plain. */
let k: MigrationKit;
let qemuGid: number;
let g: { id: string; name: string; log: string };

beforeAll(async () => {
  k = await MigrationKit.start({ labName: 'kqt1', subnet: 157, hosts: 2 });
  const group = (await readFile('/etc/group', 'utf8')).split('\n').find((l) => l.startsWith('libvirt-qemu:'));
  qemuGid = Number(group!.split(':')[2]);
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

const ipOf = (h: string) => k.p.labStatus.hosts.find((x) => x.name === h)!.ip;
/** The host's /etc/pki as seen from the root namespace (bind-mounted over /etc/pki inside it). */
const pki = (h: string, ...parts: string[]) => join(k.p.lab.host(h).dir, 'etc-pki', ...parts);
const qmpLog = (h: string) => join(k.p.lab.host(h).dir, 'var-log-libvirt', 'qmp.log');

/** Source-side evidence: libvirtd logs every QMP command it sends to QEMU (debug, monitor only). */
async function logQmp(h: string): Promise<void> {
  await writeFile(qmpLog(h), '');
  for (const args of [
    ['daemon-log-filters', '1:qemu.qemu_monitor'],
    ['daemon-log-outputs', '3:file:/var/log/libvirt/libvirtd.log 1:file:/var/log/libvirt/qmp.log'],
  ]) {
    const r = await k.p.lab.execInHost(h, ['virt-admin', ...args]);
    if (r.code !== 0) throw new Error(`virt-admin ${args.join(' ')} on ${h}: ${r.stderr}`);
  }
}

/** The guest keeps running where it landed (its serial heartbeat goes on; slow on a loaded machine). */
async function beatsOn(what: string): Promise<void> {
  const before = await k.heartbeat(g.log);
  await eventually(what, async () => (await k.heartbeat(g.log)) > before, 120_000, 500);
}

/** The QMP commands libvirtd sent to QEMU since logQmp (one JSON text each). */
async function qmpSent(h: string): Promise<string[]> {
  const log = await readFile(qmpLog(h), 'utf8');
  return [...log.matchAll(/QEMU_MONITOR_SEND_MSG: mon=\S+ msg=(\{.*\})/g)].map((m) => m[1]!);
}

async function cluster(): Promise<Cluster> {
  return (await k.api('GET', `/api/v1/clusters/${k.p.clusterId}`)).body as Cluster;
}

async function move(id: string, to: string): Promise<Task> {
  const task = await k.migrate(id, { targetHostId: k.hostId(to), autoConverge: false });
  return k.waitTask(task.id, 120_000);
}

describe('engine-issued host certificates', () => {
  it('each agent installs its host certificate, signed by the engine CA, where libvirt and QEMU read it', async () => {
    const cas = new Set<string>();
    for (const h of ['h1', 'h2']) {
      const ca = new X509Certificate(await readFile(pki(h, 'CA', 'cacert.pem')));
      cas.add(ca.fingerprint256);
      expect(ca.ca).toBe(true);
      for (const f of ['qemu/server-cert.pem', 'qemu/client-cert.pem', 'libvirt/servercert.pem']) {
        const cert = new X509Certificate(await readFile(pki(h, f)));
        expect({ f, signedByCa: cert.verify(ca.publicKey), ip: cert.checkIP(ipOf(h)) }).toEqual({
          f,
          signedByCa: true,
          ip: ipOf(h),
        });
      }
      // QEMU (user libvirt-qemu) reads its key through the group; libvirtd's key is root's only.
      const qemuKey = await stat(pki(h, 'qemu', 'server-key.pem'));
      expect({ mode: qemuKey.mode & 0o777, gid: qemuKey.gid }).toEqual({ mode: 0o640, gid: qemuGid });
      expect((await stat(pki(h, 'libvirt', 'private', 'serverkey.pem'))).mode & 0o777).toBe(0o600);
      // Inside the host, /etc/pki is its own directory (two hosts never share a key).
      const inside = await k.p.lab.execInHost(h, ['cat', '/etc/pki/qemu/server-cert.pem']);
      expect(inside.stdout).toBe(await readFile(pki(h, 'qemu', 'server-cert.pem'), 'utf8'));
    }
    expect(cas.size).toBe(1);
  });

  it('clusters encrypt migrations by default; a bad migrationEncrypted is a 400 naming it', async () => {
    expect((await cluster()).migrationEncrypted).toBe(true);
    const bad = await k.api('PATCH', `/api/v1/clusters/${k.p.clusterId}`, { migrationEncrypted: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('migrationEncrypted');
    expect((await cluster()).migrationEncrypted).toBe(true);
  });
});

describe('live migration over TLS', () => {
  it('moves a running guest h1 → h2 with QEMU carrying the stream over TLS', async () => {
    g = await k.startGuest('h1', 'kqt-tls', { memoryMiB: 128 });
    // Booting under TCG on a shared machine can take long: the guest must be running its init first.
    await eventually(
      'guest heartbeat before the move',
      async () => (await k.heartbeat(g.log)) > 1,
      240_000,
      500,
    );
    await logQmp('h1');
    const done = await move(g.id, 'h2');
    expect({ status: done.status, error: done.errorMessage }).toEqual({ status: 'succeeded', error: null });
    expect((done.result as { policy: { encrypted: boolean } }).policy.encrypted).toBe(true);
    expect(await k.whereIs(g.id)).toEqual({ h2: 'running' });
    const sent = await qmpSent('h1');
    // libvirt gave the source QEMU an x509 client credential from /etc/pki/qemu…
    const creds = sent.filter((c) => c.includes('"execute":"object-add"') && c.includes('"tls-creds-x509"'));
    expect(creds).toHaveLength(1);
    expect(creds[0]).toContain('"dir":"/etc/pki/qemu"');
    expect(creds[0]).toContain('"endpoint":"client"');
    // …and made the migration use it, checking that the target's certificate names the target's address.
    const params = sent.filter((c) => c.includes('"execute":"migrate-set-parameters"'));
    expect(params.join('\n')).toContain('"tls-creds":"objlibvirt_migrate_tls0"');
    expect(params.join('\n')).toContain(`"tls-hostname":"${ipOf('h2')}"`);
    await beatsOn('guest heartbeat after the TLS move');
  }, 480_000);

  it('a target without its certificate is refused by the pre-check, saying what to do', async () => {
    await rename(pki('h1', 'qemu', 'server-cert.pem'), pki('h1', 'qemu', 'server-cert.pem.away'));
    try {
      const res = await k.api('GET', `/api/v1/vms/${g.id}/migrate/targets`);
      const h1 = (res.body as MigrationTargets).targets.find((t) => t.hostId === k.hostId('h1'))!;
      expect(h1.eligible).toBe(false);
      expect(h1.problems.join('; ')).toMatch(/TLS certificate missing.*server-cert\.pem.*re-enroll/);
    } finally {
      await rename(pki('h1', 'qemu', 'server-cert.pem.away'), pki('h1', 'qemu', 'server-cert.pem'));
    }
  }, 60_000);

  it('without its client certificate the source cannot encrypt: the move fails and the guest stays; plain works', async () => {
    const cert = pki('h2', 'qemu', 'client-cert.pem');
    await rename(cert, `${cert}.away`);
    try {
      const failed = await move(g.id, 'h1');
      expect(failed.status).toBe('failed');
      // The target (verify-peer) refuses a client that shows no certificate: the TLS session fails.
      expect(failed.errorMessage).toMatch(/TLS channel/);
      expect(failed.errorMessage).toMatch(/re-enroll the host.*migrationEncrypted off/);
      expect(await k.whereIs(g.id)).toEqual({ h2: 'running' });

      const off = await k.api('PATCH', `/api/v1/clusters/${k.p.clusterId}`, { migrationEncrypted: false });
      expect(off.status).toBe(200);
      await logQmp('h2');
      await truncate(qmpLog('h2'));
      const plain = await move(g.id, 'h1');
      expect({ status: plain.status, error: plain.errorMessage }).toEqual({
        status: 'succeeded',
        error: null,
      });
      expect((plain.result as { policy: { encrypted: boolean } }).policy.encrypted).toBe(false);
      expect(await k.whereIs(g.id)).toEqual({ h1: 'running' });
      const sent = await qmpSent('h2');
      expect(sent.some((c) => c.includes('"execute":"migrate"'))).toBe(true);
      expect(sent.filter((c) => c.includes('tls-creds-x509'))).toEqual([]);
      expect(sent.join('\n')).not.toContain('"tls-creds":"objlibvirt_migrate_tls0"');
      await beatsOn('guest heartbeat after the plain move');
    } finally {
      await rename(`${cert}.away`, cert).catch(() => undefined);
      await k.api('PATCH', `/api/v1/clusters/${k.p.clusterId}`, { migrationEncrypted: true });
    }
  }, 240_000);
});
