import { testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import type { Task, Vm } from '@kelpie/shared-types';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot } from '@kelpie/test-support';
import { newPortalPage, startPortalPlatform } from './portal-page';
import { apiOk } from '../support/engine';
import { addLabInfrastructure, eventually, TestPlatform } from '../support/platform';

/**
 * The whole product through the portal, as a person would use it: a real lab of two libvirt hosts, the
 * real engine serving the built portal, real agents. Every step is checked in the page AND with virsh.
 */
const VM_NAME = 'kw-web1';

let p: TestPlatform;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let guest: { kernel: string; initrd: string };
let vmId: string;

const uriOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;
const hostName = (h: string) => `kw-${h}`;
const api = <T>(method: string, path: string, body?: unknown) =>
  p.engine.api(method, `/api/v1${path}`, body).then((r) => r as { status: number; body: T });
const vm = async () => (await api<Vm>('GET', `/vms/${vmId}`)).body;
const hostOfVm = async (): Promise<string | undefined> => {
  const hostId = (await vm()).hostId;
  return Object.entries(p.hosts).find(([, h]) => h.id === hostId)?.[0];
};

/** Domain states of the VM on every lab host (`{}` when no host knows it). */
async function whereIs(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of p.labStatus.hosts) {
    const r = await virsh(h.uri, ['domstate', vmId]);
    if (r.code === 0) out[h.name] = r.stdout.trim();
  }
  return out;
}

const ok = <T>(method: string, path: string, body?: unknown) => apiOk<T>(p.engine, method, path, body);

const badge = () => page.locator('#vm-title .badge');
const hostCell = () =>
  page.locator('.props div', { has: page.locator('dt', { hasText: /^Host$/ }) }).locator('dd');
/** Confirms the in-page dialog an action opened (power off, delete). */
async function confirmDialog(button: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}
const chooseTarget = (h: string) =>
  page
    .getByRole('dialog')
    .getByRole('radio', { name: new RegExp(`^${hostName(h)}`) })
    .check();
/** A VM-page action from the quick buttons or the Actions menu. */
async function action(label: string | RegExp): Promise<void> {
  const quick = page.locator('.page-head .actions > button', { hasText: label });
  if (await quick.count()) return quick.first().click();
  await page.getByRole('button', { name: /^Actions/ }).click();
  await page.getByRole('menuitem', { name: label }).click();
}

beforeAll(async () => {
  p = await startPortalPlatform('kw', 86);
  guest = await testGuest();
  // As an administrator would, through the API: a storage domain on the shared directory and a VM network
  // on the lab bridge attached to the cluster.
  await addLabInfrastructure(p);
  browser = await launchBrowser();
  page = await newPortalPage(browser);
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (p && vmId)
    for (const h of p.labStatus.hosts) {
      await virsh(h.uri, ['destroy', vmId]).catch(() => undefined);
      await virsh(h.uri, ['undefine', vmId, '--remove-all-storage']).catch(() => undefined);
    }
  await p?.close();
}, 120_000);

describe('the portal drives the whole VM lifecycle on real hosts', () => {
  it('creates a VM with a disk, a NIC and a direct-kernel boot in the new VM form', async () => {
    await page.goto(`${p.engine.baseUrl}/`);
    await page.getByRole('heading', { name: 'Engine healthy' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'fs-01-dashboard');

    await page.goto(`${p.engine.baseUrl}/vms/new`);
    await page.getByLabel('Name').fill(VM_NAME);
    await page.getByLabel('Memory (MiB)').fill('128');
    await page.getByLabel('Storage domain').selectOption({ label: 'shared' });
    await page.getByLabel('Disk size (GiB)').fill('1');
    await page.getByLabel('Network', { exact: true }).selectOption({ label: 'lab' });
    await page.getByLabel('Boot source').selectOption('kernel');
    await page.getByLabel('Kernel path').fill(guest.kernel);
    await page.getByLabel('Initrd path').fill(guest.initrd);
    await page.getByLabel('Kernel command line').fill('console=ttyS0');
    await screenshot(page, 'fs-02-new-vm-form');
    await page.getByRole('button', { name: 'Create VM' }).click();

    await page.waitForURL(/\/vms\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    vmId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: new RegExp(VM_NAME) }).waitFor({ timeout: 30_000 });
    // The vm.create task defines the domain on a host chosen by the scheduler.
    await eventually(
      'the domain defined on a host',
      async () => Object.keys(await whereIs()).length === 1,
      90_000,
      500,
    );
    expect(Object.values(await whereIs())).toEqual(['shut off']);
    await page.getByRole('heading', { name: 'Disks (1)' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Network interfaces (1)' }).waitFor({ timeout: 30_000 });
    const xml = await virshOrThrow(uriOf(Object.keys(await whereIs())[0]), ['dumpxml', vmId]);
    expect(xml).toContain(guest.kernel);
    expect(xml).toContain("bridge='br0'");
    await screenshot(page, 'fs-03-vm-created');
  }, 180_000);

  it('starts it from the VM page and shows it up, as libvirt says', async () => {
    // A window marker: it survives only if the page is never reloaded or navigated away.
    await page.evaluate(() => ((window as unknown as { kelpieMarker: string }).kelpieMarker = 'still-here'));
    await action('Run');
    await badge()
      .filter({ hasText: /^\W*up$/i })
      .waitFor({ timeout: 120_000 });
    const h = (await hostOfVm())!;
    expect((await virshOrThrow(uriOf(h), ['domstate', vmId])).trim()).toBe('running');
    await expect(hostCell().innerText()).resolves.toBe(hostName(h));
    await screenshot(page, 'fs-04-vm-up');
  }, 180_000);

  it('live-migrates it to the other host from the UI, with progress, without reloading', async () => {
    const from = (await hostOfVm())!;
    const to = from === 'h1' ? 'h2' : 'h1';
    await action(/^Migrate/);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await chooseTarget(to);
    await screenshot(page, 'fs-05-migrate-dialog');
    await dialog.getByRole('button', { name: 'Migrate' }).click();

    // The activity panel follows the vm.migrate task from the live stream.
    const toast = page.locator('.activity .toast', { hasText: `Migrate ${VM_NAME}` });
    await toast.waitFor({ timeout: 30_000 });
    await screenshot(page, 'fs-06-migrating');
    await toast.locator('.badge', { hasText: /succeeded/i }).waitFor({ timeout: 180_000 });
    await hostCell()
      .filter({ hasText: hostName(to) })
      .waitFor({ timeout: 60_000 });
    // The dialog's live view ends with the new host; closing it leaves the page as it is.
    await dialog.getByText(`${VM_NAME} now runs on ${hostName(to)}`).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await badge()
      .filter({ hasText: /^\W*up$/i })
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'fs-07-migrated');
    await expect(toast.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');

    expect(await page.evaluate(() => (window as unknown as { kelpieMarker?: string }).kelpieMarker)).toBe(
      'still-here',
    );
    await eventually(
      'running only on the target',
      async () => {
        const w = await whereIs();
        return w[to] === 'running' && !w[from] ? w : undefined;
      },
      30_000,
      500,
    );
  }, 300_000);

  it('cancels a slow (1 MiB/s) migration from the UI: the task is cancelled, the VM stays', async () => {
    const from = (await hostOfVm())!;
    const to = from === 'h1' ? 'h2' : 'h1';
    await action(/^Migrate/);
    const dialog = page.getByRole('dialog');
    await chooseTarget(to);
    await dialog.getByLabel('Max bandwidth (MiB/s)').fill('1');
    await dialog.getByRole('button', { name: 'Migrate' }).click();

    await badge()
      .filter({ hasText: /Migrating from/i })
      .waitFor({ timeout: 60_000 });
    const task = await eventually(
      'the migration moving',
      async () => {
        const t = (
          await api<{ items: Task[] }>('GET', `/tasks?objectId=${vmId}&type=vm.migrate&limit=5`)
        ).body.items.find((x) => x.status === 'running');
        return t && t.progress > 0 ? t : undefined;
      },
      60_000,
      500,
    );
    await screenshot(page, 'fs-08-slow-migration');
    await dialog.getByRole('button', { name: 'Cancel migration' }).click();

    await eventually(
      'the task cancelled',
      async () => (await ok<Task>('GET', `/tasks/${task.id}`)).status === 'cancelled',
      60_000,
      500,
    );
    await page
      .locator('.activity .toast .badge', { hasText: /cancelled/i })
      .first()
      .waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await badge()
      .filter({ hasText: /^\W*up$/i })
      .waitFor({ timeout: 60_000 });
    await expect(hostCell().innerText()).resolves.toBe(hostName(from));
    await screenshot(page, 'fs-09-migration-cancelled');
    expect(await whereIs()).toEqual({ [from]: 'running' });
    expect(await virshOrThrow(uriOf(from), ['list', '--name'])).toContain(VM_NAME);
    expect(await page.evaluate(() => (window as unknown as { kelpieMarker?: string }).kelpieMarker)).toBe(
      'still-here',
    );
  }, 300_000);

  it('powers it off and deletes it from the UI: gone from every host', async () => {
    await action('Power off');
    await confirmDialog('Power off');
    await badge()
      .filter({ hasText: /^\W*down$/i })
      .waitFor({ timeout: 120_000 });
    await screenshot(page, 'fs-10-down');
    await action('Delete');
    await confirmDialog('Delete');
    await eventually(
      'the VM gone from the engine',
      async () => (await api('GET', `/vms/${vmId}`)).status === 404,
      120_000,
      500,
    );
    await page
      .getByText(/VM not found|not found/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'fs-11-deleted');
    for (const h of p.labStatus.hosts)
      expect(await virshOrThrow(h.uri, ['list', '--all', '--uuid'])).not.toContain(vmId);
  }, 240_000);
});
