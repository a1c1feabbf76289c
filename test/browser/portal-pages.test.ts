import { testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import type { LogicalNetwork, Schedule, ScheduleDetail, Task } from '@kelpie/shared-types';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from '@kelpie/test-support';
import { seriousAxeViolations } from './axe';
import { newPortalPage } from './portal-page';
import { portalLab } from './support/portal-lab';
import { addLabInfrastructure, eventually } from '../support/platform';
import { run202 } from '../vm/support-ks';

/**
 * The portal's storage, network, tasks and schedules pages on a real 1-host lab (kwb1, subnet 184),
 * through the UI only: a storage domain attached from its list (asked first; its task, the next steps
 * offered), the network with its cluster attachment (a change asked first), a VM's boot shown as it
 * really boots, a schedule made from the VM's menu that starts it (the run links to its task, the
 * guest runs in libvirt) and is cancelled, the cluster's balance plan and affinity violations; the
 * lists at 1024×768 with the navigation collapsed, and axe-core over the main pages.
 */
let sdId = '';
let networkId = '';
let vmId = '';
let guest: { kernel: string; initrd: string };

// Schedules may run every 5 s here (60 s by default), so a cron run comes within the test's time.
const lab = portalLab({
  labName: 'kwb1',
  subnet: 184,
  engineEnv: { KELPIE_SCHEDULE_MIN_INTERVAL_SECONDS: '5' },
  beforeClose: async () => vmId && virsh(lab.uri(), ['destroy', vmId]),
});
const { ok, go, dialog, uri } = lab;

beforeAll(async () => {
  ({ sdId, networkId } = await addLabInfrastructure(lab.p));
  guest = await testGuest();
}, 120_000);

describe('storage, network, tasks and schedules pages (Chromium)', () => {
  it('attaches a storage domain from its list: the step runs as a task and the list offers the next steps', async () => {
    // The lab's `shared` domain is active already: a new one starts detached.
    mkdirSync(join(lab.p.labStatus.sharedDir, 'kwb-spare'), { recursive: true });
    const spare = await ok<{ id: string }>('POST', '/storage-domains', {
      name: 'spare',
      datacenterId: lab.p.datacenterId,
      type: 'dir',
      path: join(lab.p.labStatus.sharedDir, 'kwb-spare'),
    });
    await go('/storage-domains');
    const row = lab.page.getByRole('row', { name: /spare/ });
    await row.getByText('Detached').waitFor();
    // The step asks first, saying what it does.
    await lab.page.getByRole('button', { name: 'Attach spare' }).click();
    await dialog('Attach storage domain spare?').getByText('no host uses it until it is activated').waitFor();
    await dialog('Attach storage domain spare?').getByRole('button', { name: 'Attach' }).click();
    const task = await eventually(
      'the attach task finished',
      async () => {
        const found = await ok<{ items: Task[] }>(
          'GET',
          `/tasks?objectId=${spare.id}&sort=createdAt:desc&limit=5`,
        );
        const t = found.items.find((x) => x.type.endsWith('attach'));
        return t && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status) ? t : undefined;
      },
      60_000,
      500,
    );
    expect({ status: task.status, error: task.errorMessage }).toEqual({ status: 'succeeded', error: null });
    // Read again when the task finished, the list offers what the new status allows.
    await lab.page.getByRole('button', { name: 'Activate spare' }).waitFor({ timeout: 15_000 });
    const sd = await ok<{ status: string }>('GET', `/storage-domains/${spare.id}`);
    expect(['inactive', 'unknown', 'maintenance']).toContain(sd.status);
    await screenshot(lab.page, 'pages-storage');
    // Its name opens its page: how each host sees it (none yet: it is not active).
    await lab.page.getByRole('link', { name: 'spare', exact: true }).click();
    await lab.page.getByRole('heading', { name: 'Storage domain spare' }).waitFor();
    await lab.page.getByText('No host has reported this domain (it is not active).').waitFor();
    await screenshot(lab.page, 'pages-storage-hosts');
  });

  it('shows the network with its bridge and its cluster attachment', async () => {
    const net = await ok<LogicalNetwork>('GET', `/networks/${networkId}`);
    await go('/networks');
    const row = lab.page.getByRole('row', { name: /lab/ });
    await row.getByText(net.bridge, { exact: true }).waitFor();
    // Attached (required) to the lab cluster: its name links to it.
    await row.locator('[data-field=clusters]').getByRole('link').waitFor();
    expect(await row.locator('[data-field=clusters]').getByRole('link').getAttribute('href')).toBe(
      `/clusters/${lab.p.clusterId}`,
    );
    await screenshot(lab.page, 'pages-networks');
    // Its attachment changed in Clusters…: the change asks first (what it means for the hosts).
    await lab.page.getByRole('button', { name: 'Change the clusters of lab' }).click();
    const clusters = dialog('Clusters of network lab');
    const cluster = await ok<{ name: string }>('GET', `/clusters/${lab.p.clusterId}`);
    await clusters.getByLabel(cluster.name, { exact: true }).selectOption('optional');
    const ask = dialog(`Make network lab optional on cluster ${cluster.name}?`);
    await ask.getByText('Hosts of the cluster without it stay operational.').waitFor();
    await screenshot(lab.page, 'pages-network-attachment-ask');
    await ask.getByRole('button', { name: 'Make optional' }).click();
    await ask.waitFor({ state: 'detached' });
    const attachments = await ok<{ networkId: string; attachment: string }[]>(
      'GET',
      `/clusters/${lab.p.clusterId}/networks`,
    );
    expect(attachments.find((a) => a.networkId === networkId)?.attachment).toBe('optional');
    await clusters.getByRole('button', { name: 'Close' }).click();
    await row.getByText('(optional)').waitFor();
  });

  it('the VM page shows a kernel-booted VM as such, and its empty CD-ROM', async () => {
    const created = await run202(lab.p, 'POST', '/api/v1/vms', {
      name: 'kwb-vm1',
      clusterId: lab.p.clusterId,
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: sdId }],
      nics: [{ networkId }],
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
    });
    vmId = (created.target as { id: string }).id;
    await go(`/vms/${vmId}`);
    const specs = lab.page.getByRole('region', { name: 'Specs' });
    const file = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    await specs.getByText(`Kernel ${file(guest.kernel)} with initrd ${file(guest.initrd)}`).waitFor();
    await specs.getByText('console=ttyS0 quiet').waitFor();
    expect(await specs.getByText('Boot order').count()).toBe(0);
    await specs.getByText('empty', { exact: true }).waitFor();
    // The definition libvirt has agrees: a direct kernel boot.
    const xml = await virshOrThrow(uri(), ['dumpxml', '--inactive', vmId]);
    expect(xml).toContain(`<kernel>${guest.kernel}</kernel>`);
    await screenshot(lab.page, 'pages-vm-boot');
  });

  it('schedules a start from the VM menu: the run starts a task (linked), the guest runs; cancelled, it stops', async () => {
    await go(`/vms/${vmId}`);
    await lab.page.getByRole('button', { name: 'Actions ▾' }).click();
    await lab.page.getByRole('menuitem', { name: 'Schedule…' }).click();
    const d = dialog('Schedule an action on kwb-vm1');
    expect(await d.getByLabel('Action').inputValue()).toBe('vm.start');
    await d.getByRole('radio', { name: 'Repeatedly (cron)' }).check();
    await d.getByLabel('Cron expression').fill('*/5 * * * * *');
    await d.getByLabel('Time zone').fill('UTC');
    await d.getByLabel('Name (optional)').fill('kwb-start');
    await screenshot(lab.page, 'pages-schedule-dialog');
    await d.getByRole('button', { name: 'Schedule' }).click();
    await d.waitFor({ state: 'detached' });
    const [s] = (await ok<Schedule[]>('GET', '/schedules')).filter((x) => x.name === 'kwb-start');
    expect(s).toMatchObject({
      action: 'vm.start',
      target: { type: 'vm', id: vmId },
      cron: '*/5 * * * * *',
      state: 'active',
    });

    await go('/schedules');
    await lab.page.getByRole('button', { name: 'kwb-start', exact: true }).click();
    const runs = dialog('Runs of kwb-start');
    const taskLink = runs.getByRole('link', { name: /^task / });
    await taskLink.waitFor({ timeout: 60_000 });
    const href = (await taskLink.getAttribute('href'))!;
    const taskId = href.split('task=')[1]!;
    const task = await eventually(
      'the scheduled start finished',
      async () => {
        const t = await ok<Task>('GET', `/tasks/${taskId}`);
        return ['succeeded', 'failed'].includes(t.status) ? t : undefined;
      },
      120_000,
      500,
    );
    expect(task).toMatchObject({ type: 'vm.start', status: 'succeeded', correlationId: `schedule-${s!.id}` });
    expect((await virshOrThrow(uri(), ['domstate', vmId])).trim()).toBe('running');
    // A later run finds it up: refused, with the reason, nothing sent to the host.
    await runs
      .getByText(/refused/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(lab.page, 'pages-schedule-runs');
    await taskLink.click();
    await lab.page.waitForURL(/\/tasks\?task=/);
    await lab.page.getByTestId('task-outcome').waitFor();
    await screenshot(lab.page, 'pages-task-detail');

    await go('/schedules');
    await lab.page.getByRole('button', { name: 'Cancel kwb-start' }).click();
    await dialog('Cancel schedule kwb-start?').getByRole('button', { name: 'Cancel schedule' }).click();
    await lab.page
      .getByRole('row', { name: /kwb-start/ })
      .getByText('Cancelled')
      .waitFor();
    const after = await ok<ScheduleDetail>('GET', `/schedules/${s!.id}`);
    expect(after.state).toBe('cancelled');
    expect(after.nextRunAt).toBeNull();
    await screenshot(lab.page, 'pages-schedules');
  }, 240_000);

  it("the cluster page shows the balancing's dry run for its hosts and that no VM breaks an affinity group", async () => {
    const plan = await ok<{ hosts: { hostName: string }[] }>(
      'GET',
      `/clusters/${lab.p.clusterId}/balance/plan`,
    );
    await go(`/clusters/${lab.p.clusterId}`);
    const panel = lab.page.getByRole('region', { name: 'Balance' });
    await panel.locator('[data-field=balance-summary]').waitFor();
    expect(await panel.locator('[data-field=balance-summary]').textContent()).not.toBe('');
    const hosts = panel.getByRole('table', { name: "Hosts against the policy's thresholds" });
    await hosts.getByRole('link', { name: lab.p.hosts.h1!.name }).waitFor();
    expect(await hosts.getByRole('row').count()).toBe(plan.hosts.length + 1);
    await panel.getByText('No VM breaks an affinity group.').waitFor();
    await screenshot(lab.page, 'pages-cluster-balance');
  });

  it('at 1024×768 the navigation starts collapsed, lists fit without cut columns, and few Tab stops lead to the filters', async () => {
    const small = await newPortalPage(lab.browser);
    await small.setViewportSize({ width: 1024, height: 768 });
    try {
      await small.goto(`${lab.p.engine.baseUrl}/tasks`);
      const toggle = small.getByRole('button', { name: 'Navigation' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await small.getByRole('table', { name: 'Tasks' }).getByRole('row').nth(1).waitFor();
      const fits = await small.locator('.vtable').evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
      const headers = await small.getByRole('columnheader').allTextContents();
      expect(headers.join('|')).toContain('Message');
      expect(headers).not.toContain('Finished');
      await screenshot(small, 'pages-tasks-1024');
      // From the top of the VM list: skip link, navigation button, brand, New VM, user menu, the
      // page's New VM, then the search box.
      await small.goto(`${lab.p.engine.baseUrl}/vms`);
      const search = small.getByRole('searchbox', { name: 'Search VMs by name' });
      await search.waitFor();
      let stops = 0;
      while (stops < 12 && !(await search.evaluate((el) => el === document.activeElement))) {
        await small.keyboard.press('Tab');
        stops += 1;
      }
      expect(stops).toBeLessThanOrEqual(8);
      await toggle.click();
      await small.getByRole('navigation', { name: 'Inventory' }).waitFor();
      await screenshot(small, 'pages-vms-1024-nav-open');
    } finally {
      await small.close();
    }
  });

  it('axe-core finds no serious or critical violation on the main pages', async () => {
    const found: Record<string, unknown> = {};
    for (const path of [
      '/',
      '/vms',
      `/vms/${vmId}`,
      '/hosts',
      `/clusters/${lab.p.clusterId}`,
      '/storage-domains',
      '/networks',
      '/tasks',
      '/events',
      '/schedules',
    ]) {
      await go(path);
      await lab.page.locator('main h1').first().waitFor();
      await lab.page.waitForLoadState('networkidle').catch(() => undefined);
      const v = await seriousAxeViolations(lab.page);
      if (v.length) found[path] = v;
    }
    expect(found).toEqual({});
  });
});
