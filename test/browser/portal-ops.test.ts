import { testGuest, testGuestDomainXml, virsh, virshOrThrow } from '@kelpie/lab';
import type { Host, Task, Vm } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot } from '@kelpie/test-support';
import { newPortalPage, startPortalPlatform } from './portal-page';
import { apiOk } from '../support/engine';
import { eventually, TestPlatform } from '../support/platform';

/**
 * Operating a fleet from the portal on a real 2-host lab (kp, subnet 90): charts drawn from real agent
 * stats, the migrate dialog's pre-checks (a host in maintenance shown disabled with the reason), the live
 * migration view with cancel, host maintenance evacuating VM by VM, bulk actions with per-VM results,
 * dialogs showing the API's errors, and the layout at 1280×800 and 2560×1440.
 */
const NAMES = ['kp-a', 'kp-b'];

let p: TestPlatform;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const vmIds: Record<string, string> = {};
let guest: { kernel: string; initrd: string };

const api = <T>(method: string, path: string, body?: unknown) =>
  p.engine.api(method, `/api/v1${path}`, body).then((r) => r as { status: number; body: T });
const ok = <T>(method: string, path: string, body?: unknown) => apiOk<T>(p.engine, method, path, body);
const uriOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;
const hostStatus = async (h: string) => (await ok<Host>('GET', `/hosts/${p.hosts[h].id}`)).status;
const vmOf = (name: string) => ok<Vm>('GET', `/vms/${vmIds[name]}`);
const waitTask = (id: string, timeoutMs = 120_000) =>
  eventually(
    `task ${id} finished`,
    async () => {
      const t = await ok<Task>('GET', `/tasks/${id}`);
      return ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status) ? t : undefined;
    },
    timeoutMs,
    300,
  );
async function domstate(h: string, name: string): Promise<string> {
  const r = await virsh(uriOf(h), ['domstate', vmIds[name]]);
  return r.code === 0 ? r.stdout.trim() : 'absent';
}
const go = (path: string) => page.goto(`${p.engine.baseUrl}${path}`);
/** Points drawn by the chart with this accessible title. */
const chartPoints = async (title: string) =>
  Number(
    (await page
      .locator('figure.chart', { has: page.locator('figcaption', { hasText: title }) })
      .locator('svg')
      .getAttribute('data-points')) ?? 0,
  );
async function waitChart(title: string, min: number): Promise<number> {
  return eventually(
    `${title} chart with ≥ ${min} points`,
    async () => {
      const n = await chartPoints(title).catch(() => 0);
      return n >= min ? n : undefined;
    },
    60_000,
    500,
  );
}
/**
 * A guest defined with raw virsh on h1 (found by the agent as an external VM) whose disk is in h1's own
 * /var/lib/libvirt/images: h2 cannot see it, so it cannot be live-migrated with shared storage.
 */
async function startHostLocalGuest(name: string): Promise<string> {
  const id = randomUUID();
  const images = join(p.labStatus.stateDir, 'hosts', 'h1', 'var-lib-libvirt', 'images');
  await mkdir(images, { recursive: true });
  await writeFile(join(images, `${name}.img`), '');
  await truncate(join(images, `${name}.img`), 8 * 1024 * 1024);
  const xml = join(p.labStatus.sharedDir, `${name}.xml`);
  await writeFile(
    xml,
    testGuestDomainXml({
      name,
      uuid: id,
      memoryMiB: 96,
      vcpus: 1,
      virtType: 'qemu',
      kernel: guest.kernel,
      initrd: guest.initrd,
      serialLogPath: join(p.labStatus.sharedDir, `${name}.log`),
      diskPath: `/var/lib/libvirt/images/${name}.img`,
    }),
  );
  await virshOrThrow(uriOf('h1'), ['define', xml]);
  await virshOrThrow(uriOf('h1'), ['start', name]);
  vmIds[name] = id;
  await eventually(
    `${name} up on h1 in the engine`,
    async () => {
      const r = await api<Vm>('GET', `/vms/${id}`);
      return r.status === 200 && r.body.status === 'up' && r.body.hostId === p.hosts.h1.id;
    },
    60_000,
    300,
  );
  return id;
}

async function openVmAction(name: string, label: string | RegExp): Promise<void> {
  await page.getByRole('button', { name: /^Actions/ }).click();
  await page.getByRole('menuitem', { name: label }).click();
  await page.getByRole('dialog').waitFor();
}

beforeAll(async () => {
  // Stats every 2 s so the charts have several real points within seconds.
  p = await startPortalPlatform('kp', 90, { KELPIE_STATS_INTERVAL_MS: '2000' });
  guest = await testGuest();
  // Two small diskless guests on h1, started through the API.
  for (const name of NAMES) {
    const task = await ok<Task>('POST', '/vms', {
      name,
      clusterId: p.clusterId,
      hostId: p.hosts.h1.id,
      memoryMib: 96,
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
      graphicsVnc: false,
    });
    expect((await waitTask(task.id)).status).toBe('succeeded');
    vmIds[name] = task.target!.id;
    const start = await ok<Task>('POST', `/vms/${vmIds[name]}/start`);
    expect((await waitTask(start.id)).status).toBe('succeeded');
  }
  browser = await launchBrowser();
  page = await newPortalPage(browser);
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (p)
    for (const h of p.labStatus.hosts)
      for (const id of Object.values(vmIds)) {
        await virsh(h.uri, ['destroy', id]).catch(() => undefined);
        await virsh(h.uri, ['undefine', id]).catch(() => undefined);
      }
  await p?.close();
}, 120_000);

describe('operating the fleet from the portal', () => {
  it('draws CPU/memory charts from real agent stats on the VM, host and dashboard pages', async () => {
    await go(`/vms/${vmIds['kp-a']}`);
    await page.getByRole('heading', { name: /kp-a/ }).waitFor();
    // Real samples from the agent on h1 (every 2 s): the charts grow while the page is open.
    const first = await waitChart('VM CPU use', 2);
    await waitChart('VM memory (resident)', 2);
    await waitChart('VM CPU use', first + 1);
    const vmChart = page.getByRole('img', { name: /VM CPU use.*Latest \d/ });
    expect(await vmChart.count()).toBe(1);
    await screenshot(page, 'ops-01-vm-charts');

    await go(`/hosts/${p.hosts.h1.id}`);
    await waitChart('Host CPU use', 2);
    await waitChart('Host memory in use', 2);
    const mem = await page.getByRole('img', { name: /Host memory in use/ }).getAttribute('aria-labelledby');
    expect(mem).toBeTruthy();
    await screenshot(page, 'ops-02-host-charts');

    await go('/');
    await waitChart('Fleet CPU use', 2);
    await waitChart('Fleet memory in use', 2);
    await screenshot(page, 'ops-03-dashboard-fleet');
  }, 180_000);

  it('shows a target in maintenance disabled with the reason in the migrate dialog', async () => {
    const t = await ok<Task>('POST', `/hosts/${p.hosts.h2.id}/maintenance`);
    expect((await waitTask(t.id)).status).toBe('succeeded');
    expect(await hostStatus('h2')).toBe('maintenance');

    await go(`/vms/${vmIds['kp-a']}`);
    await openVmAction('kp-a', /^Migrate/);
    const dialog = page.getByRole('dialog', { name: 'Migrate kp-a' });
    const h2 = dialog.getByRole('radio', { name: /^kp-h2/ });
    await h2.waitFor();
    expect(await h2.isDisabled()).toBe(true);
    const why = await h2.evaluate(
      (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '',
    );
    expect(why).toMatch(/^Not available: .*maintenance/i);
    // No host can take it: neither "Automatic" nor the Migrate button are offered.
    expect(await dialog.getByRole('radio', { name: /^Automatic/ }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Migrate' }).isDisabled()).toBe(true);
    await screenshot(page, 'ops-04-migrate-target-disabled');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Activate h2 from its page.
    await go(`/hosts/${p.hosts.h2.id}`);
    await page.getByRole('button', { name: 'Activate' }).click();
    await eventually('h2 up', async () => (await hostStatus('h2')) === 'up', 30_000, 300);
    await page.locator('#host-title .badge', { hasText: /^\W*up$/i }).waitFor({ timeout: 30_000 });
  }, 120_000);

  it('migrates with a policy and shows the live progress, then cancels it: the VM stays', async () => {
    await go(`/vms/${vmIds['kp-a']}`);
    await openVmAction('kp-a', /^Migrate/);
    const dialog = page.getByRole('dialog', { name: 'Migrate kp-a' });
    await dialog.getByRole('radio', { name: /^kp-h2/ }).check();
    await dialog.getByLabel('Max bandwidth (MiB/s)').fill('1');
    await dialog.getByLabel('Max downtime (ms)').fill('300');
    await dialog.getByLabel('Post-copy').selectOption('off');
    await dialog.getByLabel('Auto-converge').selectOption('off');
    await screenshot(page, 'ops-05-migrate-policy');
    await dialog.getByRole('button', { name: 'Migrate' }).click();

    // Real figures from the source's domjobinfo.
    const field = (f: string) => dialog.locator(`[data-field=${f}]`);
    await eventually(
      'progress figures',
      async () =>
        /MiB/.test(await field('remaining').innerText()) && (await field('iteration').innerText()) !== '–',
      60_000,
      300,
    );
    expect(await field('bandwidth').innerText()).toMatch(/(KiB|MiB)\/s$/);
    expect(await field('eta').innerText()).toMatch(/^\d+ s \/ /);
    const migration = (
      await ok<{ items: { id: string; policy: { maxBandwidthMiBps: number; maxDowntimeMs: number } }[] }>(
        'GET',
        `/migrations?vmId=${vmIds['kp-a']}&status=running`,
      )
    ).items[0]!;
    expect(migration.policy).toMatchObject({ maxBandwidthMiBps: 1, maxDowntimeMs: 300 });
    await screenshot(page, 'ops-06-migration-progress');

    await dialog.getByRole('button', { name: 'Cancel migration' }).click();
    await dialog.locator('.badge', { hasText: /cancelled/i }).waitFor({ timeout: 60_000 });
    expect((await ok<Task>('GET', `/tasks/${migration.id}`)).status).toBe('cancelled');
    await screenshot(page, 'ops-07-migration-cancelled');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually('kp-a up on h1', async () => (await vmOf('kp-a')).status === 'up', 30_000, 300);
    expect(await domstate('h1', 'kp-a')).toBe('running');
    expect(await domstate('h2', 'kp-a')).toBe('absent');
  }, 180_000);

  it('puts h1 into maintenance from its page and shows the evacuation VM by VM, with the VM that cannot leave', async () => {
    const LOCAL = 'kp-local';
    await startHostLocalGuest(LOCAL);
    await go(`/hosts/${p.hosts.h1.id}`);
    await page.getByRole('button', { name: 'Maintenance', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: /Put kp-h1 into maintenance/ });
    await confirm.getByRole('button', { name: 'Enter maintenance' }).click();
    await confirm.waitFor({ state: 'detached' });

    const table = page.getByRole('table', { name: 'Evacuation, VM by VM' });
    await table.waitFor({ timeout: 30_000 });
    await screenshot(page, 'ops-08-evacuation-running');
    for (const name of NAMES)
      await table.locator(`tr[data-vm="${name}"][data-state="migrated"]`).waitFor({ timeout: 180_000 });
    const failed = table.locator(`tr[data-vm="${LOCAL}"][data-state="failed"]`);
    await failed.waitFor({ timeout: 60_000 });
    for (const name of NAMES) {
      const row = table.locator(`tr[data-vm="${name}"]`);
      expect(await row.locator('td').nth(1).innerText()).toBe('kp-h2');
      expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    }
    // The reason the engine gave, in the row of the VM that stayed.
    const reason = await failed.locator('td').last().innerText();
    expect(reason).toMatch(/not visible/);
    // Rows know their VM by id (the step's objectId), also the one that never got a migration task.
    expect(await failed.getByRole('link', { name: LOCAL }).getAttribute('href')).toBe(`/vms/${vmIds[LOCAL]}`);
    await page.getByRole('heading', { name: /Last evacuation/ }).waitFor({ timeout: 30_000 });
    await page
      .locator('#host-title .badge', { hasText: /preparing for maintenance/i })
      .waitFor({ timeout: 30_000 });
    // The host's reason names the VM that kept it from maintenance.
    await page
      .locator('.notice', { hasText: `could not be migrated: ${LOCAL}` })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'ops-09-evacuation-done');
    for (const name of NAMES) {
      expect(await domstate('h2', name)).toBe('running');
      expect(await domstate('h1', name)).toBe('absent');
    }
    expect(await domstate('h1', LOCAL)).toBe('running');
    // What the table showed is the maintenance task's plan, one step per VM.
    const maintenance = (
      await ok<{ items: Task[] }>('GET', `/tasks?type=host.maintenance&objectId=${p.hosts.h1.id}&limit=1`)
    ).items[0]!;
    expect(maintenance.status).toBe('failed');
    expect(maintenance.errorMessage).toContain(LOCAL);
    const steps = [...maintenance.steps].sort((a, b) => a.name.localeCompare(b.name));
    expect(steps.map((x) => [x.name, x.status, x.objectId])).toEqual([
      ['kp-a', 'done', vmIds['kp-a']],
      ['kp-b', 'done', vmIds['kp-b']],
      [LOCAL, 'failed', vmIds[LOCAL]],
    ]);
    expect(steps[2]!.message).toBe(reason);

    await page.getByRole('button', { name: 'Activate' }).click();
    await eventually('h1 up', async () => (await hostStatus('h1')) === 'up', 30_000, 300);
    await virshOrThrow(uriOf('h1'), ['destroy', LOCAL]);
    await virshOrThrow(uriOf('h1'), ['undefine', LOCAL]);
  }, 300_000);

  it('shows the API error inside the snapshot dialog instead of a prompt', async () => {
    await go(`/vms/${vmIds['kp-b']}`);
    await openVmAction('kp-b', 'Snapshot…');
    const dialog = page.getByRole('dialog', { name: 'Snapshot kp-b' });
    await dialog.getByLabel('Snapshot name').fill('not a valid name!');
    await dialog.getByRole('button', { name: 'Take snapshot' }).click();
    await dialog.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await dialog.getByLabel('Snapshot name').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.locator('.field-error').innerText()).toMatch(/name/);
    await screenshot(page, 'ops-10-snapshot-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 60_000);

  it('powers off the selected VMs in bulk and lists each VM’s result', async () => {
    await go('/vms');
    for (const name of NAMES) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page
      .getByRole('toolbar', { name: 'Bulk actions' })
      .getByRole('button', { name: /^Power off/ })
      .click();
    const dialog = page.getByRole('dialog', { name: /Power off: 2 selected VMs/ });
    await dialog.getByRole('button', { name: 'Power off 2 VMs' }).click();
    const results = dialog.getByRole('table', { name: 'Power off results' });
    for (const name of NAMES)
      await results
        .locator(`tr[data-vm="${name}"] .badge`, { hasText: /succeeded/i })
        .waitFor({ timeout: 60_000 });
    await screenshot(page, 'ops-11-bulk-results');
    await dialog.getByRole('button', { name: 'Close' }).click();
    for (const name of NAMES) expect(await domstate('h2', name)).toBe('shut off');
  }, 120_000);

  it('fits 1280×800 and uses a 2560×1440 screen: no horizontal overflow, content spans the width', async () => {
    const sizes = [
      { width: 1280, height: 800 },
      { width: 2560, height: 1440 },
    ];
    const pages = [
      ['dashboard', '/'],
      ['vms', '/vms'],
      ['vm', `/vms/${vmIds['kp-a']}`],
      ['host', `/hosts/${p.hosts.h2.id}`],
    ];
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const [name, path] of pages) {
        await go(path);
        await page.locator('main h1').first().waitFor();
        await page.waitForTimeout(300);
        const m = await page.evaluate(() => {
          const main = document.querySelector('main')!;
          const content = main.querySelector('.page')!;
          // What sticks out on the right, to name it when the check fails.
          const right = main.getBoundingClientRect().right;
          const outside = [...main.querySelectorAll('*')]
            .filter((e) => e.getBoundingClientRect().right > right + 1)
            .slice(0, 3)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
          return {
            outside,
            docWidth: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            mainOverflow: main.scrollWidth - main.clientWidth,
            mainWidth: main.clientWidth,
            contentWidth: content.getBoundingClientRect().width,
          };
        });
        await screenshot(page, `ops-layout-${size.width}-${name}`);
        expect({
          name,
          size: size.width,
          overflow: m.docWidth > m.viewport || m.mainOverflow > 0,
          outside: m.outside,
        }).toEqual({ name, size: size.width, overflow: false, outside: [] });
        // The content uses the space main gives it (less padding), also on a wide screen.
        expect(m.contentWidth / m.mainWidth).toBeGreaterThan(0.9);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);
});
