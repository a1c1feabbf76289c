/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { AgentCredentials, agentOutboxKey, commandQueueName } from '@kelpie/shared-types';
import Redis from 'ioredis';
import { X509Certificate } from 'node:crypto';
import { authHeaders, createTestUser } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';

/** Credentials for an agent deployed by the admin's own tooling (the Debian package): the engine
 * hands out the agent's `credentials.json` once; what it grants is checked on the real Redis. The
 * packaged agent really running on such credentials is test/agent/agent-deb.test.ts. */
describe('POST /hosts/{id}/credentials', () => {
  let e: TestEngine;
  let clusterId: string;
  const clients: Redis[] = [];

  beforeAll(async () => {
    e = await startTestEngine();
    const dc = await e.api('POST', `${V1}/datacenters`, { name: 'dc-creds' });
    clusterId = (await e.api('POST', `${V1}/clusters`, { name: 'c', datacenterId: dc.body.id })).body.id;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await e.close();
  });

  let lastOctet = 10;
  const register = async (name: string) => {
    const address = `192.0.2.${lastOctet++}`;
    const res = await e.api('POST', `${V1}/hosts`, {
      name,
      clusterId,
      address,
      libvirtUri: `qemu+tcp://${address}/system`,
    });
    if (res.status !== 201) throw new Error(`registering ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const issue = (id: string, body: unknown = {}, headers?: Record<string, string>) =>
    e.api('POST', `${V1}/hosts/${id}/credentials`, body, headers);

  /** Connects to the engine's Redis as the host's user; answers the reply or the error text. */
  const asHost = async (c: AgentCredentials, ...command: [string, ...(string | number)[]]) => {
    const url = new URL(e.config.redisUrl);
    const r = new Redis({
      host: url.hostname,
      port: Number(url.port || 6379),
      username: c.redis.username,
      password: c.redis.password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    clients.push(r);
    // A refused AUTH surfaces as an 'error' event; the connect promise only says the socket closed.
    let refused: string | undefined;
    r.on('error', (err: Error) => (refused ??= err.message));
    try {
      await r.connect();
      return String(await r.call(...command));
    } catch (err) {
      return refused ?? (err as Error).message;
    } finally {
      r.disconnect();
    }
  };

  it("issues the agent's credentials once: its own Redis user, the command key, a certificate for its address", async () => {
    const id = await register('manual-1');
    const res = await issue(id);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = AgentCredentials.parse(res.body);
    expect(c.hostId).toBe(id);
    expect(c.redis.url).not.toMatch(/@/);
    // Redis: the host's user may append to its own outbox, nothing of another host's.
    const prefix = e.config.redisPrefix;
    expect(await asHost(c, 'XADD', agentOutboxKey(prefix, id, 'reports'), '*', 'k', 'v')).toMatch(
      /^\d+-\d+$/,
    );
    const other = await register('manual-2');
    expect(await asHost(c, 'XADD', agentOutboxKey(prefix, other, 'reports'), '*', 'k', 'v')).toMatch(
      /NOPERM/,
    );
    expect(await asHost(c, 'LLEN', `${prefix}:${commandQueueName(other)}:wait`)).toMatch(/NOPERM/);
    expect(await asHost(c, 'LLEN', `${prefix}:${commandQueueName(id)}:wait`)).toBe('0');
    // TLS: signed by the engine's CA, for the host's address.
    const cert = new X509Certificate(c.tls.certPem);
    expect(cert.verify(new X509Certificate(c.tls.caCertPem).publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('192.0.2.10');
    // The audit log says who issued them, never the secret.
    const events = (await e.api('GET', `${V1}/events?objectId=${id}`)).body.items.filter(
      (ev: any) => ev.type === 'host.credentials_issued',
    );
    expect(events).toHaveLength(1);
    expect(events[0].actor).toBeTruthy();
    const stored = await e.sql<{ n: string }>(
      `SELECT count(*) n FROM event WHERE message LIKE $1 OR message LIKE $2`,
      [`%${c.redis.password}%`, `%${c.tls.keyPem.slice(40, 80)}%`],
    );
    expect(stored[0]!.n).toBe('0');
  });

  it('refuses to replace existing credentials unless asked; replaced ones stop working at once', async () => {
    const id = await register('manual-3');
    const first = AgentCredentials.parse((await issue(id)).body);
    const again = await issue(id);
    expect([again.status, again.body.details?.[0]?.field]).toEqual([409, 'replace']);
    expect(again.body.message).toMatch(/replace=true/);
    expect(await asHost(first, 'PING')).toBe('PONG');
    const second = AgentCredentials.parse((await issue(id, { replace: true })).body);
    expect(second.redis.password).not.toBe(first.redis.password);
    expect(await asHost(second, 'PING')).toBe('PONG');
    expect(await asHost(first, 'PING')).toMatch(/WRONGPASS/);
  });

  it('refuses bad input, unknown hosts, hosts enrolled over SSH, and callers without host.manage', async () => {
    const id = await register('manual-4');
    const bad = await issue(id, { replace: 'yes' });
    expect([bad.status, bad.body.details?.[0]?.field]).toEqual([400, 'replace']);
    expect((await issue('5f1c2a52-52a8-4a25-9a3b-0d0f2c8e9f01')).status).toBe(404);
    const enrolled = await register('manual-5');
    await e.sql(`UPDATE host SET ssh_host_key = 'ssh-ed25519 AAAA' WHERE id = $1`, [enrolled]);
    const refused = await issue(enrolled);
    expect([refused.status, refused.body.message]).toEqual([409, expect.stringMatching(/reinstalling it/)]);
    const viewer = await createTestUser(e, 'creds-viewer', { grants: [{ role: 'ReadOnly' }] });
    expect((await issue(id, {}, authHeaders(viewer.token))).status).toBe(403);
    // None of the refusals made a Redis user.
    const made = await e.sql<{ host_id: string }>(
      `SELECT host_id FROM host_credential WHERE host_id = ANY($1)`,
      [[id, enrolled]],
    );
    expect(made).toEqual([]);
  });
});
