import { Lab, type LabSshAccess } from '@kelpie/lab';
import type { Host, Page as ApiPage, Task } from '@kelpie/shared-types';
import { launchBrowser, screenshot } from '@kelpie/test-support';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '../support/services';
import { newPortalPage, WEB_DIST } from './portal-page';

/**
 * A bare lab host (kpe1, 10.179.0.0/24: its own sshd, libvirtd, no agent) added from the portal as a
 * new admin does it: Hosts → Add host, the SSH fields, the host key fingerprint to confirm (compared
 * with the lab's), the enrollment steps live, then the host Up in the list — asserted against the API,
 * the agent process on the host and its TLS libvirt listener. A wrong password first: the failed step
 * and its reason are shown, nothing is installed.
 */
jest.setTimeout(300_000);

let lab: Lab;
let db: TestDatabase;
let engine: EngineProcess;
let access: LabSshAccess;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let clusterId = '';

async function ok<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await engine.api<T>(method, `/api/v1${path}`, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const dialog = () => page.getByRole('dialog', { name: 'Add host' });

beforeAll(async () => {
  lab = new Lab({ name: 'kpe1', subnet: 179 });
  const status = await lab.up(1, { fresh: true });
  access = await lab.sshAccess();
  db = await createTestDatabase();
  engine = await startEngineProcess({
    db,
    redisPrefix: testRedisPrefix(),
    logFile: join(lab.config.stateDir, 'engine.log'),
    env: {
      KELPIE_WEB_DIR: WEB_DIST,
      KELPIE_AGENT_REDIS_URL: `redis://${status.bridgeIp}:6379`,
      KELPIE_ENROLL_HEARTBEAT_TIMEOUT_MS: '60000',
    },
  });
  const dc = await ok<{ id: string }>('POST', '/datacenters', { name: 'dc-kpe1' });
  clusterId = (await ok<{ id: string }>('POST', '/clusters', { name: 'kpe-cluster', datacenterId: dc.id }))
    .id;
  browser = await launchBrowser();
  page = await newPortalPage(browser);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await engine?.stop().catch(() => undefined);
  await lab?.down().catch(() => undefined);
  await db?.drop().catch(() => undefined);
});

async function fillAddHost(password: string): Promise<void> {
  await page.goto(`${engine.baseUrl}/hosts`);
  await page.getByRole('button', { name: 'Add host' }).click();
  const d = dialog();
  await d.getByLabel('Name').fill('kpe-h1');
  await d.getByLabel('Cluster').selectOption({ label: 'kpe-cluster' });
  await d.getByLabel('Address').fill(lab.host('h1').ip);
  await d.getByLabel('Password', { exact: true }).fill(password);
  await d.getByRole('button', { name: 'Connect' }).click();
  // The host key is shown to be confirmed before anything is created.
  const shown = await d.getByLabel('Host key fingerprint').textContent();
  expect(shown).toBe(await lab.hostKeyFingerprint('h1'));
  // Being asked to confirm the key is a step of the flow, not a failed request in the activity panel.
  expect(await page.getByRole('region', { name: 'Activity' }).getByRole('alert').count()).toBe(0);
  expect((await ok<ApiPage<Host>>('GET', '/hosts')).total).toBe(0);
}

describe('adding a host from the portal (Chromium)', () => {
  it('with a wrong password shows the failed step and its reason; nothing is installed', async () => {
    await fillAddHost('not-the-root-password-9Qz');
    await screenshot(page, 'enroll-fingerprint');
    await dialog().getByRole('button', { name: 'Confirm and enroll' }).click();
    await expect(
      dialog()
        .getByRole('alert')
        .filter({ hasText: 'Enrollment failed at' })
        .textContent({ timeout: 60_000 }),
    ).resolves.toMatch(/ssh|SSH/);
    await screenshot(page, 'enroll-failed');
    const tasks = await ok<ApiPage<Task>>('GET', '/tasks?type=host.enroll');
    expect(tasks.items[0]).toMatchObject({ status: 'failed' });
    await dialog().getByRole('button', { name: 'Close' }).click();
    for (const h of (await ok<ApiPage<Host>>('GET', '/hosts')).items) await ok('DELETE', `/hosts/${h.id}`);
  });

  it('with the root password enrolls it: steps shown live, the host Up in the list', async () => {
    await fillAddHost(access.password);
    await dialog().getByRole('button', { name: 'Confirm and enroll' }).click();
    const steps = dialog().getByRole('list', { name: 'Enrollment steps' });
    await steps.getByRole('listitem').first().waitFor({ timeout: 30_000 });
    await dialog()
      .getByRole('status')
      .filter({ hasText: 'The host is enrolled and its agent reported in.' })
      .waitFor({ timeout: 180_000 });
    expect(await steps.getByRole('listitem').count()).toBeGreaterThan(3);
    await screenshot(page, 'enroll-succeeded');
    await dialog().getByRole('button', { name: 'Close' }).click();

    const hosts = (await ok<ApiPage<Host>>('GET', '/hosts')).items;
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({
      name: 'kpe-h1',
      status: 'up',
      clusterId,
      sshHostKeyFingerprint: await lab.hostKeyFingerprint('h1'),
      libvirtUri: `qemu+tls://${lab.host('h1').ip}/system`,
    });
    // KVM or TCG is what the agent's probe guest found, never taken from /dev/kvm merely opening.
    const reason = await eventually(
      'the agent reports how it runs VMs',
      async () => (await ok<Host>('GET', `/hosts/${hosts[0]!.id}`)).capabilities?.virtualizationReason,
      30_000,
      250,
    );
    expect(reason).toMatch(/probe guest|missing or not accessible/);
    // The agent really runs on the host and answers for it; the list shows it Up.
    const agent = await lab.execInHost('h1', ['pgrep', '-f', '/opt/kelpie-agent/lib/agent.js']);
    expect(agent.code).toBe(0);
    await page.goto(`${engine.baseUrl}/hosts`);
    const rows = page.getByRole('row').filter({ hasText: 'kpe-h1' });
    await eventually(
      'the host row says up',
      async () => {
        const cells = (await rows.first().getByRole('cell').allTextContents()).map((t) => t.trim());
        if (!cells.some((c) => /^\W*up$/.test(c))) throw new Error(`cells: ${cells.join(' | ') || 'none'}`);
        return true;
      },
      15_000,
      250,
    );
    await screenshot(page, 'enroll-hosts-list');
  });
});
