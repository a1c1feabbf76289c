import { startTestEngine, TestEngine } from '../support/engine';

/** POST /cloud-init/preview: the checks of a seed without a VM (the portal runs them before creating one). */
let engine: TestEngine;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKelpieTestKeyKelpieTestKeyKelpieTestKey01 ops@kelpie';
const PATH = '/api/v1/cloud-init/preview';

beforeAll(async () => {
  engine = await startTestEngine();
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const taskCount = async () =>
  Number((await engine.sql<{ n: string }>('SELECT count(*) AS n FROM task'))[0].n);

describe('cloud-init preview', () => {
  it('answers the user-data built from the fields', async () => {
    const res = await engine.api('POST', PATH, {
      hostname: 'web-1',
      sshAuthorizedKeys: [KEY],
      users: [{ name: 'ops', sshAuthorizedKeys: [KEY], sudo: true }],
      packages: ['nginx'],
      runcmd: ['echo "a: b" > /etc/motd'],
    });
    expect(res.status).toBe(200);
    const doc = (res.body as { userData: string }).userData;
    expect(doc.startsWith('#cloud-config\n')).toBe(true);
    expect(doc).toContain(`- ${KEY}`);
    expect(doc).toContain('name: ops');
    expect(doc).toContain('sudo: ALL=(ALL) NOPASSWD:ALL');
    expect(doc).toContain(`'echo "a: b" > /etc/motd'`);
  });

  it('answers a raw #cloud-config document as is', async () => {
    const userData = '#cloud-config\nhostname: raw\n';
    const res = await engine.api('POST', PATH, { userData });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userData });
  });

  it('refuses bad fields with 400 naming them, and writes nothing', async () => {
    const before = await taskCount();
    const cases: [unknown, string][] = [
      [{ sshAuthorizedKeys: ['not a key'] }, 'sshAuthorizedKeys'],
      [{ users: [{ name: 'ops', sshAuthorizedKeys: ['ssh-rsa'] }] }, 'users.0.sshAuthorizedKeys'],
      [{ users: [{ name: 'Root!' }] }, 'users.0.name'],
      [{ hostname: 'bad_host' }, 'hostname'],
      [{ packages: ['Bad Name'] }, 'packages'],
      [{ userData: 'users: []\n' }, 'userData'],
      [{ userData: '#cloud-config\n{}\n', runcmd: ['ls'] }, 'runcmd'],
    ];
    for (const [body, field] of cases) {
      const res = await engine.api('POST', PATH, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect((res.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
    }
    const key = await engine.api('POST', PATH, { sshAuthorizedKeys: ['nope'] });
    expect((key.body as { details: { reason: string }[] }).details[0].reason).toMatch(
      /sshAuthorizedKeys must be OpenSSH public keys/,
    );
    expect(await taskCount()).toBe(before);
  });
});
