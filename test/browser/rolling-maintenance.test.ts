import { testGuest, virsh } from '@kelpie/lab';
import type { AffinityGroup, Host, LogicalNetwork, Page as ApiPage, Task, Vm } from '@kelpie/shared-types';
import { finalTask, screenshot } from '@kelpie/test-support';
import { portalLab } from './support/portal-lab';
import { eventually } from '../support/platform';

/**
 * The cluster page on a real 2-host lab (kwr1, subnet 211) with two running guests: an affinity group
 * they break shows in the Balance panel's violations, a rolling maintenance started from the portal
 * shows host by host while the hosts go to maintenance one at a time and the guests live-migrate (seen
 * with virsh), and the network list's row actions are one keyboard-operable menu at 1280×800.
 */
const NAMES = ['kwr-a', 'kwr-b'];
const ids: Record<string, string> = {};
const lab = portalLab({
  labName: 'kwr1',
  subnet: 211,
  hosts: 2,
  beforeClose: async () => {
    for (const h of lab.p.labStatus.hosts)
      for (const id of Object.values(ids)) {
        await virsh(h.uri, ['destroy', id]).catch(() => undefined);
        await virsh(h.uri, ['undefine', id]).catch(() => undefined);
      }
  },
});
const ok = <T>(method: string, path: string, body?: unknown) => lab.ok<T>(method, path, body);
const HOSTS = ['h1', 'h2'];
const hostName = (h: string) => lab.p.hosts[h]!.name;
const uriOf = (h: string) => lab.p.labStatus.hosts.find((x) => x.name === h)!.uri;
const waitTask = (id: string) => finalTask((method, path) => lab.p.engine.api(method, path), id, 120_000);
/** Where libvirt has each guest active (running, or paused mid-migration). */
async function whereActive(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = Object.fromEntries(NAMES.map((n) => [n, []]));
  for (const h of HOSTS) {
    const r = await virsh(uriOf(h), ['list', '--uuid']);
    const active = new Set(r.stdout.split('\n').map((s) => s.trim()));
    for (const n of NAMES) if (active.has(ids[n]!)) out[n]!.push(h);
  }
  return out;
}
/** How many times each host entered maintenance, from the audit log. */
async function maintenanceEntries(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const h of HOSTS) {
    const events = await ok<ApiPage<{ message: string }>>(
      'GET',
      `/events?type=host.status&objectId=${lab.p.hosts[h]!.id}&limit=100`,
    );
    out[h] = events.items.filter((e) => / is in maintenance \(was /.test(e.message)).length;
  }
  return out;
}

beforeAll(async () => {
  const guest = await testGuest();
  // Two small diskless guests, both on h1.
  for (const name of NAMES) {
    const task = await ok<Task>('POST', '/vms', {
      name,
      clusterId: lab.p.clusterId,
      hostId: lab.p.hosts.h1!.id,
      memoryMib: 96,
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
      graphicsVnc: false,
    });
    expect((await waitTask(task.id)).status).toBe('succeeded');
    ids[name] = task.target!.id;
    const start = await ok<Task>('POST', `/vms/${ids[name]}/start`);
    expect((await waitTask(start.id)).status).toBe('succeeded');
  }
  expect(await whereActive()).toEqual({ 'kwr-a': ['h1'], 'kwr-b': ['h1'] });
}, 300_000);

describe('the cluster page and the network list on a real lab', () => {
  it('names the affinity group the two guests break, with both VMs and their host, in the violations', async () => {
    const group = await ok<AffinityGroup>('POST', `/clusters/${lab.p.clusterId}/affinity-groups`, {
      name: 'kwr-apart',
      polarity: 'negative',
      enforcing: false,
      vmIds: [ids['kwr-a'], ids['kwr-b']],
    });
    try {
      // The engine's view first: both run on h1, so each one breaks the group.
      const h1 = hostName('h1');
      const api = await ok<{ vmName: string; groupName: string; hostName: string; reason: string }[]>(
        'GET',
        `/clusters/${lab.p.clusterId}/affinity-violations`,
      );
      expect(api.map((v) => [v.vmName, v.groupName, v.hostName]).sort()).toEqual([
        ['kwr-a', 'kwr-apart', h1],
        ['kwr-b', 'kwr-apart', h1],
      ]);

      await lab.go(`/clusters/${lab.p.clusterId}`);
      const table = lab.page.getByRole('table', { name: 'Affinity violations' });
      await table.waitFor({ timeout: 30_000 });
      const rows = await table
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(rows.sort()).toEqual([
        ['kwr-a', 'kwr-apart (soft)', h1, `shares ${h1} with kwr-b`],
        ['kwr-b', 'kwr-apart (soft)', h1, `shares ${h1} with kwr-a`],
      ]);
      // The VMs and the host link to their pages.
      expect(await table.getByRole('link', { name: 'kwr-a' }).getAttribute('href')).toBe(
        `/vms/${ids['kwr-a']}`,
      );
      expect(await table.getByRole('link', { name: h1 }).first().getAttribute('href')).toBe(
        `/hosts/${lab.p.hosts.h1!.id}`,
      );
      await table.scrollIntoViewIfNeeded();
      await screenshot(lab.page, 'cluster-affinity-violations');
    } finally {
      await ok('DELETE', `/clusters/${lab.p.clusterId}/affinity-groups/${group.id}`);
    }
  }, 120_000);

  it('runs a rolling maintenance from the portal: host by host in the panel, one host at a time, guests migrated live', async () => {
    const before = await maintenanceEntries();
    const cluster = await ok<{ name: string }>('GET', `/clusters/${lab.p.clusterId}`);
    await lab.go(`/clusters/${lab.p.clusterId}`);
    await lab.page.getByRole('button', { name: 'Rolling maintenance…' }).click();
    const dialog = lab.dialog(`Rolling maintenance of ${cluster.name}?`);
    await dialog.getByText('The 2 host(s) enter maintenance one at a time').waitFor();
    expect(await dialog.getByRole('radio', { name: 'Activate it again at once' }).isChecked()).toBe(true);
    await screenshot(lab.page, 'rolling-dialog');
    await dialog.getByRole('button', { name: 'Start rolling maintenance' }).click();
    await dialog.waitFor({ state: 'detached' });

    // While it runs: what the panel shows per host, how many hosts are out at once (API), and where
    // libvirt has the guests (never nowhere).
    const table = lab.page.getByRole('table', { name: 'Rolling maintenance, host by host' });
    await table.waitFor({ timeout: 30_000 });
    const seen: Record<string, Set<string>> = {};
    const gaps: string[] = [];
    let mostOut = 0;
    let samples = 0;
    let shotRunning = false;
    const task = await eventually(
      'the rolling maintenance finished',
      async () => {
        const states = await table
          .locator('tr[data-host]')
          .evaluateAll((trs) =>
            trs.map((tr) => [tr.getAttribute('data-host')!, tr.getAttribute('data-state')!]),
          );
        for (const [h, s] of states) (seen[h] ??= new Set()).add(s);
        if (!shotRunning && states.some(([, s]) => s === 'running')) {
          shotRunning = true;
          await screenshot(lab.page, 'rolling-running');
        }
        const out = (
          await Promise.all(HOSTS.map((h) => ok<Host>('GET', `/hosts/${lab.p.hosts[h]!.id}`)))
        ).filter((x) => x.status !== 'up').length;
        mostOut = Math.max(mostOut, out);
        for (const [n, on] of Object.entries(await whereActive()))
          if (!on.length) gaps.push(`${n} at ${new Date().toISOString()}`);
        samples++;
        const t = (
          await ok<ApiPage<Task>>(
            'GET',
            `/tasks?type=cluster.rolling_maintenance&objectId=${lab.p.clusterId}&limit=1`,
          )
        ).items[0];
        return t && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status) ? t : undefined;
      },
      300_000,
      250,
    );
    expect({ status: task.status, error: task.errorMessage }).toEqual({ status: 'succeeded', error: null });
    expect(task.steps.map((s) => [s.name, s.status])).toEqual(HOSTS.map((h) => [hostName(h), 'done']));

    // The panel followed each host through its step, and ends with every host done.
    expect(shotRunning).toBe(true);
    for (const h of HOSTS) expect([...seen[hostName(h)]!]).toEqual(expect.arrayContaining(['running']));
    await lab.page.getByRole('heading', { name: /Last rolling maintenance/ }).waitFor({ timeout: 30_000 });
    for (const h of HOSTS)
      await table.locator(`tr[data-host="${hostName(h)}"][data-state="done"]`).waitFor({ timeout: 30_000 });
    expect(
      await lab.page.getByRole('progressbar', { name: 'Rolling maintenance' }).getAttribute('aria-valuenow'),
    ).toBe('100');
    await screenshot(lab.page, 'rolling-done');

    // One host at a time, each in maintenance exactly once, both back up.
    expect(samples).toBeGreaterThan(5);
    expect(mostOut).toBe(1);
    const after = await maintenanceEntries();
    expect(Object.fromEntries(HOSTS.map((h) => [h, after[h]! - (before[h] ?? 0)]))).toEqual({ h1: 1, h2: 1 });
    for (const h of HOSTS) expect((await ok<Host>('GET', `/hosts/${lab.p.hosts[h]!.id}`)).status).toBe('up');
    // The guests never stopped: active on some host at every sample, running on one host at the end,
    // and each left its host live (off h1 for h1's turn, off h2 for h2's).
    expect(gaps).toEqual([]);
    const where = await whereActive();
    for (const n of NAMES) {
      expect({ n, on: where[n]!.length }).toEqual({ n, on: 1 });
      expect((await ok<Vm>('GET', `/vms/${ids[n]}`)).status).toBe('up');
      const moves = await ok<ApiPage<{ status: string }>>(
        'GET',
        `/migrations?vmId=${ids[n]}&status=succeeded`,
      );
      expect({ n, moves: moves.total }).toEqual({ n, moves: 2 });
      const state = await virsh(uriOf(where[n]![0]!), ['domstate', ids[n]!]);
      expect(state.stdout.trim()).toBe('running');
    }
  }, 360_000);

  it('the network list fits 1280×800 with its row actions in one menu, keyboard operable', async () => {
    const page = lab.page;
    // A network with a VLAN and a description: every column has something to show.
    const net = await ok<LogicalNetwork>('POST', '/networks', {
      name: 'kwr-storage-backbone',
      datacenterId: lab.p.datacenterId,
      bridge: 'kwrbr0',
      vlanId: 42,
      mtu: 9000,
      description: 'iSCSI traffic of the rack, kept apart from the VMs',
    });
    await lab.go('/networks');
    const button = page.getByRole('button', { name: `Actions for ${net.name}` });
    await button.waitFor();
    // Every column shows, the description too, none cut off, nothing wider than the window; the
    // name (20 characters) whole, and the one actions button narrow.
    const headers = await page.locator('.vtable [role=columnheader]').allTextContents();
    expect(headers.slice(-2)).toEqual(['Description', 'Actions']);
    const cut = async (sel: string) =>
      page
        .locator(sel)
        .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    expect(await cut('.vtable [role=columnheader], .vtable [role=columnheader] *')).toEqual([]);
    const row = page.getByRole('row', { name: new RegExp(net.name) });
    const name = row.locator('.ellipsis.strong');
    expect(await name.evaluate((el) => [el.textContent, el.scrollWidth <= el.clientWidth])).toEqual([
      net.name,
      true,
    ]);
    expect((await button.boundingBox())!.width).toBeLessThan(110);
    expect(await page.locator('.vtable').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    // Keyboard: Enter opens it on the first item, ↓ moves, Escape closes it back onto the button.
    await button.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Actions for ${net.name}` });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Edit…',
      'vNIC profiles',
      'Permissions…',
      'Delete…',
    ]);
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('Edit…');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('vNIC profiles');
    // Drawn whole over the list (its cells clip what sticks out): each item is what shows at its place.
    for (const item of await menu.getByRole('menuitem').all()) {
      const box = (await item.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
      expect(box.y + box.height).toBeLessThanOrEqual(800);
      const top = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.textContent ?? null,
        [box.x + box.width / 2, box.y + box.height / 2],
      );
      expect(top).toBe(await item.textContent());
    }
    await screenshot(page, 'networks-row-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);

    // ↑ on the button opens it on the last item; Enter chooses it: the Delete dialog asks, and
    // Cancel gives focus back to the menu button. Nothing was deleted.
    await page.keyboard.press('ArrowUp');
    await menu.waitFor();
    expect(await focused()).toBe('Delete…');
    await page.keyboard.press('Enter');
    const del = lab.dialog(`Delete network ${net.name}?`);
    await del.getByRole('button', { name: 'Cancel' }).click();
    await del.waitFor({ state: 'detached' });
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
    expect((await ok<LogicalNetwork>('GET', `/networks/${net.id}`)).name).toBe(net.name);

    // vNIC profiles opens the network's profiles.
    await button.click();
    await menu.getByRole('menuitem', { name: 'vNIC profiles' }).click();
    await page.getByRole('heading', { name: 'vNIC profiles' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?networkId=${net.id}`);
  }, 60_000);
});
