import { runOrThrow, testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import type { Page as ApiPage, Task, Vm } from '@kelpie/shared-types';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser, screenshot } from '@kelpie/test-support';
import { apiOk } from '../support/engine';
import { addLabInfrastructure, eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { newPortalPage, waitHostsUp } from './portal-page';

/**
 * The new VM wizard on a real one-host lab (kz): a VM with a cloud-init seed (checked in the ISO the
 * host built), a bad SSH key refused inline with nothing created, and a thin VM from a template
 * (checked with qemu-img: an overlay on the template's disk).
 */
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKelpieWizardKeyKelpieWizardKeyKelpieWiz01 ops@kelpie';

/** The built portal the engine serves. */
const WEB_DIST = join(__dirname, '..', '..', 'apps', 'web', 'dist');

let p: TestPlatform;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let guest: { kernel: string; initrd: string };
const created: string[] = [];

const uri = () => p.labStatus.hosts[0].uri;
const ok = <T>(method: string, path: string, body?: unknown) => apiOk<T>(p.engine, method, path, body);
/** The finished task (the API long-polls with `wait`). */
async function finished(id: string): Promise<Task> {
  return eventually(
    `task ${id} finished`,
    async () => {
      const t = await ok<Task>('GET', `/tasks/${id}?wait=5000`);
      return ['queued', 'running'].includes(t.status) ? undefined : t;
    },
    180_000,
    100,
  );
}
const tasksOf = (vmId: string, type: string) =>
  ok<ApiPage<Task>>('GET', `/tasks?objectId=${vmId}&type=${type}`).then((r) => r.items);
/** `virsh domblklist --details` rows: type, device, target, source. */
const blk = async (vmId: string) =>
  (await virshOrThrow(uri(), ['domblklist', '--details', vmId]))
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r.length >= 4);
/** A file of the seed ISO, extracted with xorriso (the tool the agent builds it with). */
async function isoFile(iso: string, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kz-iso-'));
  try {
    await runOrThrow('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', `/${name}`, join(dir, name)]);
    return await readFile(join(dir, name), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const qemuImgInfo = async (path: string) =>
  JSON.parse(await runOrThrow('qemu-img', ['info', '-U', '--output=json', path])) as Record<string, unknown>;

/** Opens the wizard afresh and fills what every VM here has: name, 128 MiB, a 1 GiB disk, direct kernel. */
async function openWizard(name: string): Promise<void> {
  // Chromium fails in-flight loads with ERR_NETWORK_CHANGED when any lab on the machine adds or removes
  // an interface (other tests run labs concurrently): a page whose script was lost that way is loaded
  // once more; any other reason for a missing form fails the test.
  const lost: string[] = [];
  const onFailed = (r: { failure(): { errorText: string } | null; url(): string }) => {
    if (r.failure()?.errorText === 'net::ERR_NETWORK_CHANGED') lost.push(r.url());
  };
  page.on('requestfailed', onFailed);
  try {
    await page.goto(`${p.engine.baseUrl}/vms/new`);
    const heading = page.getByRole('heading', { name: 'New virtual machine' });
    await heading.waitFor({ timeout: 20_000 }).catch(async (err: Error) => {
      if (!lost.length) throw err;
      await page.goto(`${p.engine.baseUrl}/vms/new`);
      await heading.waitFor();
    });
  } finally {
    page.off('requestfailed', onFailed);
  }
  await page.getByLabel('Name', { exact: true }).fill(name);
}
async function fillKernelVm(): Promise<void> {
  await page.getByLabel('Boot source').selectOption('kernel');
  await page.getByLabel('Kernel path').fill(guest.kernel);
  await page.getByLabel('Initrd path').fill(guest.initrd);
  await page.getByLabel('Kernel command line').fill('console=ttyS0');
  await page.getByLabel('Memory (MiB)').fill('128');
  await page.getByLabel('Storage domain', { exact: true }).selectOption({ label: 'shared' });
  await page.getByLabel('Disk size (GiB)').fill('1');
  await page.getByLabel('Network', { exact: true }).selectOption({ label: 'lab' });
}
/** The viewport as a person sees it at 1280×800, then the whole form in a window tall enough for it
 * (the main area scrolls, so an element shot at 800 px would be cut). */
async function shots(name: string): Promise<void> {
  await screenshot(page, name);
  const box = await page.locator('form').boundingBox();
  await page.setViewportSize({ width: 1280, height: Math.ceil((box?.height ?? 800) + 200) });
  await page.locator('form').screenshot({ path: join(ARTIFACTS_DIR, `${name}-form.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}
const cloudInitOn = () => page.getByLabel(/Configure the guest with cloud-init/).check();
const vmIdFromUrl = async () => {
  await page.waitForURL(/\/vms\/[0-9a-f-]{36}$/, { timeout: 240_000 });
  const id = page.url().split('/').pop()!;
  created.push(id);
  return id;
};

beforeAll(async () => {
  p = await startTestPlatform({
    labName: 'kz',
    subnet: 93,
    hosts: 1,
    engineEnv: { KELPIE_WEB_DIR: WEB_DIST },
  });
  await waitHostsUp(p);
  guest = await testGuest();
  await addLabInfrastructure(p);
  browser = await launchBrowser();
  page = await newPortalPage(browser);
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const id of created.reverse())
    await virsh(uri(), ['undefine', id, '--remove-all-storage']).catch(() => undefined);
  await p?.close();
}, 120_000);

describe('the new VM wizard', () => {
  it('creates a VM with a cloud-init seed: a cidata CD-ROM carrying the hostname and the SSH key', async () => {
    await openWizard('kz-ci1');
    await fillKernelVm();
    await cloudInitOn();
    await page.getByLabel('Hostname').fill('kz-web-1');
    await page.getByLabel('SSH keys of the default user').fill(KEY);
    await page.getByLabel('Packages', { exact: true }).fill('qemu-guest-agent');
    await shots('wiz-01-cloud-init-form');
    await page.getByRole('button', { name: 'Create VM' }).click();
    // The wizard waits for vm.create (the VM must be on its host), then sends the seed and opens the VM.
    const vmId = await vmIdFromUrl();
    await page.getByRole('heading', { name: /kz-ci1/ }).waitFor({ timeout: 30_000 });

    const [seedTask] = await tasksOf(vmId, 'vm.cloud_init');
    expect(seedTask).toBeDefined();
    const done = await finished(seedTask.id);
    expect(done.status).toBe('succeeded');
    await page
      .locator('.activity')
      .getByText(/Cloud-init seed for kz-ci1/)
      .waitFor();
    await screenshot(page, 'wiz-02-vm-with-seed');

    const cd = (await blk(vmId)).find((r) => r[1] === 'cdrom');
    expect(cd).toBeDefined();
    const iso = cd![3];
    expect(iso).toBe(`${p.labStatus.sharedDir}/${vmId}-cidata.iso`);
    expect(await runOrThrow('xorriso', ['-indev', iso, '-pvd_info'])).toMatch(/Volume Id\s*:\s*cidata\b/);
    const userData = await isoFile(iso, 'user-data');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(userData).toContain(KEY);
    expect(userData).toContain('- qemu-guest-agent');
    expect(await isoFile(iso, 'meta-data')).toContain('local-hostname: kz-web-1');
  }, 300_000);

  it('shows the API refusal of a bad SSH key next to the field, and creates nothing', async () => {
    const vmsBefore = (await ok<ApiPage<Vm>>('GET', '/vms?limit=1')).total;
    const wizardTasks = async () =>
      (await ok<ApiPage<Task>>('GET', '/tasks?type=vm.create&limit=1')).total +
      (await ok<ApiPage<Task>>('GET', '/tasks?type=vm.cloud_init&limit=1')).total;
    const tasksBefore = await wizardTasks();
    await openWizard('kz-bad1');
    await fillKernelVm();
    await cloudInitOn();
    await page.getByLabel('SSH keys of the default user').fill('ssh-ed25519 not-base64!! me@x');
    await page.getByRole('button', { name: 'Create VM' }).click();
    const error = page.locator('#vm-ciSshKeys-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/SSH authorized keys must be OpenSSH public keys/);
    expect(await page.getByLabel('SSH keys of the default user').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('SSH keys of the default user').getAttribute('aria-describedby')).toBe(
      'vm-ciSshKeys-error',
    );
    await shots('wiz-03-bad-key');
    expect(page.url()).toMatch(/\/vms\/new$/);
    expect((await ok<ApiPage<Vm>>('GET', '/vms?q=kz-bad1')).total).toBe(0);
    expect((await ok<ApiPage<Vm>>('GET', '/vms?limit=1')).total).toBe(vmsBefore);
    expect(await wizardTasks()).toBe(tasksBefore);
    expect((await virshOrThrow(uri(), ['list', '--all', '--name'])).includes('kz-bad1')).toBe(false);
  }, 120_000);

  it('stays on the form when the scheduler refuses the create, focused on the reason; the task detail shows it whole', async () => {
    await openWizard('kz-big1');
    await fillKernelVm();
    await page.getByLabel('Memory (MiB)').fill('4194304');
    await page.getByRole('button', { name: 'Create VM' }).click();
    // The wizard waited for vm.create, which failed: no navigation, focus on the error summary.
    const summary = page.getByRole('alert', { name: 'The VM was not created' });
    await summary.waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
    expect(page.url()).toMatch(/\/vms\/new$/);
    expect(await page.locator('#vm-memoryMib-error').innerText()).toMatch(/needs 4194304 MiB/);
    expect(await page.getByLabel('Memory (MiB)').getAttribute('aria-invalid')).toBe('true');
    await shots('wiz-06-refused-by-scheduler');
    expect((await ok<ApiPage<Vm>>('GET', '/vms?q=kz-big1')).total).toBe(0);
    const [failed] = (await ok<ApiPage<Task>>('GET', '/tasks?type=vm.create&status=failed&limit=1')).items;
    expect(failed.errorMessage).toMatch(/needs 4194304 MiB/);

    // The Tasks page: finished rows say their outcome; a click on the row opens the detail.
    await page.goto(`${p.engine.baseUrl}/tasks?type=vm.create`);
    const row = page
      .getByRole('row')
      .filter({ hasText: failed.errorMessage!.slice(0, 30) })
      .first();
    await row.waitFor();
    const done = page.getByRole('row').filter({ hasText: /Succeeded in/ });
    expect(await done.count()).toBeGreaterThan(0);
    // On the outcome text: the row's last cell is the request (a filter button of its own).
    await row.getByText(failed.errorMessage!.slice(0, 30)).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('task-outcome').innerText()).toBe(failed.errorMessage);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    expect(page.url()).toContain(`task=${failed.id}`);
    await screenshot(page, 'tasks-01-failed-task-detail');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await screenshot(page, 'tasks-02-list');
    // The dashboard shows the load against the CPUs (the bar stops at full, the text keeps the figure).
    await page.goto(`${p.engine.baseUrl}/`);
    await page.getByText(/ on \d+ CPUs? \(\d+ %/).waitFor({ timeout: 30_000 });
    await screenshot(page, 'dash-01');
  }, 300_000);

  it('creates a thin VM from a template with a seed: an overlay backed by the template disk', async () => {
    // The template, through the API: a stopped VM with a disk, then made a template.
    const t = await ok<Task>('POST', '/vms', {
      name: 'kz-golden',
      clusterId: p.clusterId,
      memoryMib: 128,
      disks: [
        {
          storageDomainId: (await ok<ApiPage<{ id: string }>>('GET', '/storage-domains')).items[0].id,
          sizeGiB: 1,
        },
      ],
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd },
    });
    expect((await finished(t.id)).status).toBe('succeeded');
    const templateId = t.target!.id;
    created.push(templateId);
    await ok('POST', `/vms/${templateId}/template`);
    const templateDisk = (await blk(templateId)).find((r) => r[2] === 'vda')![3];

    await openWizard('kz-thin1');
    await page.getByLabel('Boot source').selectOption('template');
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'kz-golden' });
    await page.getByLabel('Disks', { exact: true }).selectOption('thin');
    // CPU, memory, disks and NICs come from the template: the wizard does not ask for them.
    expect(await page.getByLabel('vCPUs').count()).toBe(0);
    expect(await page.getByLabel('Disk size (GiB)').count()).toBe(0);
    await page.getByText(/1 vCPU · 128 MiB memory/).waitFor();
    await cloudInitOn();
    await page.getByLabel('Hostname').fill('kz-thin-1');
    await shots('wiz-04-from-template');
    await page.getByRole('button', { name: 'Create VM' }).click();
    const vmId = await vmIdFromUrl();
    const [clone] = await tasksOf(vmId, 'vm.create_thin');
    expect((await finished(clone.id)).status).toBe('succeeded');
    await page.getByRole('heading', { name: /kz-thin1/ }).waitFor({ timeout: 30_000 });
    // The seed follows the clone task and goes beside the VM's (overlay) disk.
    const [seed] = await tasksOf(vmId, 'vm.cloud_init');
    expect((await finished(seed.id)).status).toBe('succeeded');
    await screenshot(page, 'wiz-05-thin-vm');

    const disk = (await blk(vmId)).find((r) => r[2] === 'vda')![3];
    expect(disk).not.toBe(templateDisk);
    const info = await qemuImgInfo(disk);
    expect(info.format).toBe('qcow2');
    expect(info['backing-filename']).toBe(templateDisk);
    const cd = (await blk(vmId)).find((r) => r[1] === 'cdrom')![3];
    expect(cd).toBe(`${p.labStatus.sharedDir}/${vmId}-cidata.iso`);
    expect(await isoFile(cd, 'meta-data')).toContain('local-hostname: kz-thin-1');
    expect(await ok<Vm>('GET', `/vms/${vmId}`)).toMatchObject({
      name: 'kz-thin1',
      isTemplate: false,
      sourceTemplateId: templateId,
    });
  }, 300_000);
});
