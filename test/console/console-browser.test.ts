/// <reference lib="dom" />
import { testGuest, virshOrThrow } from '@kelpie/lab';
import type { Vm } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot } from '@kelpie/test-support';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { defineAndStart } from './console-support';

/** In the browser: the portal's console page (noVNC) shows the real QEMU framebuffer, and
 * after a live migration a reconnect (new ticket) shows it again from the new host. */
const WEB_DIST = join(__dirname, '..', '..', 'apps', 'web', 'dist');
let p: TestPlatform;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let dir: string;
let vmId: string;
const uriOf = (h: string) => p.labStatus.hosts.find((x) => x.name === h)!.uri;
type VmWithPort = Vm & { graphicsPort: number | null };
const getVm = async () => (await p.engine.api('GET', `/api/v1/vms/${vmId}`)).body as VmWithPort;

/** Pixels of the noVNC canvas that are not (near) black, and distinct colours seen. */
async function canvasStats(
  page: Page,
): Promise<{ width: number; height: number; lit: number; colours: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.console-screen canvas');
    if (!c || !c.width || !c.height) return { width: 0, height: 0, lit: 0, colours: 0 };
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] + data[i + 1] + data[i + 2] > 60) lit++;
      if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return { width: c.width, height: c.height, lit, colours: colours.size };
  });
}

beforeAll(async () => {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`build the web app first (pnpm -C apps/web build): ${WEB_DIST} missing`);
  dir = await mkdtemp(join(tmpdir(), 'kelpie-console-web-'));
  p = await startTestPlatform({
    labName: 'kcb',
    subnet: 152,
    hosts: 2,
    engineEnv: { KELPIE_WEB_DIR: WEB_DIST },
  });
  const guest = await testGuest();
  const started = await defineAndStart(p.lab, uriOf('h1'), dir, 'kc-web1', guest, p.labStatus.sharedDir);
  vmId = started.uuid;
  await eventually(
    'the VM up on h1 with a VNC port',
    async () => {
      const vm = (await p.engine.api('GET', `/api/v1/vms/${vmId}`)).body as VmWithPort;
      return vm.status === 'up' && vm.hostId === p.hosts.h1.id && vm.graphicsPort;
    },
    30_000,
  );
  await eventually(
    'guest ready',
    async () => (await readFile(started.serialLog, 'utf8')).includes('KELPIE-GUEST-READY'),
    60_000,
    250,
  );
  browser = await launchBrowser();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('console page', () => {
  it('shows the real framebuffer, and again from the new host after a live migration', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${p.engine.baseUrl}/vms/${vmId}/console`);
    await page.getByRole('status', { name: 'Console connected' }).waitFor({ timeout: 20_000 });
    const before = await eventually(
      'non-blank framebuffer',
      async () => {
        const s = await canvasStats(page);
        return s.lit > 200 && s.colours > 1 ? s : undefined;
      },
      20_000,
      250,
    );
    expect(before.width).toBeGreaterThan(300);
    await screenshot(page, 'console-vnc-h1');

    await virshOrThrow(uriOf('h1'), [
      'migrate',
      '--live',
      '--p2p',
      '--persistent',
      '--undefinesource',
      '--unsafe',
      'kc-web1',
      uriOf('h2'),
    ]);
    await eventually(
      'the engine shows the VM on h2',
      async () => {
        const vm = await getVm();
        return vm.hostId === p.hosts.h2.id && vm.status === 'up' && vm.graphicsPort;
      },
      30_000,
    );
    await screenshot(page, 'console-vnc-after-migration');
    // The source QEMU is gone: the session ends and the page says so (no stale error messages).
    await page.getByRole('status', { name: 'Console disconnected' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/Disconnected|lost/);
    await screenshot(page, 'console-vnc-disconnected');

    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.getByRole('status', { name: 'Console connected' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    const after = await eventually(
      'non-blank framebuffer from h2',
      async () => {
        const s = await canvasStats(page);
        return s.lit > 200 && s.colours > 1 ? s : undefined;
      },
      20_000,
      250,
    );
    expect(after.width).toBe(before.width);
    await screenshot(page, 'console-vnc-h2');
    await page.close();
  });

  it('serial console tab: the guest shell answers in xterm', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${p.engine.baseUrl}/vms/${vmId}/console?kind=serial`);
    await page.getByRole('status', { name: 'Serial console connected' }).waitFor({ timeout: 20_000 });
    await page.locator('.console-terminal').click();
    await eventually(
      'shell output in the terminal',
      async () => {
        await page.keyboard.type('echo web-$((6*7))\n');
        await new Promise((r) => setTimeout(r, 700));
        const text = await page.locator('.xterm-rows').innerText();
        return /web-42/.test(text) && /# /.test(text);
      },
      20_000,
      100,
    );
    await screenshot(page, 'console-serial');
    await page.close();
  });
});
