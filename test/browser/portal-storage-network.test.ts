import { virshOrThrow } from '@kelpie/lab';
import type { ClusterNetwork, LogicalNetwork, StorageDomain, VnicProfile } from '@kelpie/shared-types';
import { screenshot } from '@kelpie/test-support';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriousAxeViolations } from './axe';
import { newPortalPage } from './portal-page';
import { portalLab } from './support/portal-lab';
import { eventually } from '../support/platform';
import { run202 } from '../vm/support-ks';

/**
 * The portal's storage and network administration on a real 1-host lab (kwd1, subnet 196), through
 * the UI only: a storage domain created in its dialog (a system directory refused by the engine beside
 * the field, nothing created), attached and activated from its page, each step asked first (the pool
 * runs in libvirt on the host), an ISO uploaded in its Images tab (resumable tus upload with a progress
 * bar; the volume is in the host's pool with the file's checksum), a VM made in the wizard booting that
 * ISO picked by name, a VLAN network created and attached to the cluster (every list column in sight at
 * 1280 px with the navigation open), a vNIC profile with QoS, the MAC pools page; screenshots at
 * 1280×800 and 1024×768, and axe-core.
 */
let work: string;
let sd: StorageDomain;

const lab = portalLab({
  labName: 'kwd1',
  subnet: 196,
  agentEnv: { KELPIE_STORAGE_CHECK_INTERVAL_MS: '1000' },
});
const { ok, go, dialog, uri } = lab;
const domainsNamed = async (name: string) =>
  (await ok<{ items: StorageDomain[] }>('GET', `/storage-domains?q=${name}`)).items.filter(
    (s) => s.name === name,
  );

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kwd1-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('storage and network administration (Chromium)', () => {
  it('creates a directory domain in its dialog (a system directory refused by the field), attaches and activates it: the pool runs on the host', async () => {
    const dir = join(lab.p.labStatus.sharedDir, 'kwd-images');
    mkdirSync(dir, { recursive: true });
    await go('/storage-domains');
    await lab.page.getByRole('button', { name: 'New storage domain' }).click();
    const form = dialog('New storage domain');
    await form.getByLabel('Name').fill('kwd-images');
    await form.getByLabel('Datacenter', { exact: true }).selectOption(lab.p.datacenterId);
    await form.getByLabel('Type').selectOption('dir');
    // The engine's 400 shows beside the path; the dialog stays and nothing is created.
    await form.getByLabel('Path on the hosts').fill('/etc/kelpie');
    await form.getByRole('button', { name: 'Create storage domain' }).click();
    await eventually(
      'the path marked invalid',
      async () => (await form.getByLabel('Path on the hosts').getAttribute('aria-invalid')) === 'true',
      15_000,
      200,
    );
    expect(await form.locator('.field-error').allTextContents()).toEqual([
      expect.stringMatching(/\/etc and everything below it belong to the operating system/),
    ]);
    expect(await domainsNamed('kwd-images')).toEqual([]);
    await screenshot(lab.page, 'storage-dialog-refused');
    expect(await seriousAxeViolations(lab.page)).toEqual([]);

    await form.getByLabel('Path on the hosts').fill(dir);
    await form.getByRole('button', { name: 'Create storage domain' }).click();
    await form.waitFor({ state: 'detached' });
    [sd] = await domainsNamed('kwd-images');
    expect({ type: sd!.type, path: sd!.path, status: sd!.status }).toEqual({
      type: 'dir',
      path: dir,
      status: 'detached',
    });

    // The domain's page: Attach, then Activate (each runs as a task; the page offers the next step).
    await lab.page.getByRole('link', { name: 'kwd-images' }).click();
    await lab.page.getByRole('heading', { name: 'Storage domain kwd-images' }).waitFor();
    // Each step asks first; the question stays (busy) until its task has finished.
    await lab.page.getByRole('button', { name: 'Attach kwd-images' }).click();
    await dialog('Attach storage domain kwd-images?').getByRole('button', { name: 'Attach' }).click();
    await dialog('Attach storage domain kwd-images?').waitFor({ state: 'detached', timeout: 60_000 });
    await lab.page.getByRole('button', { name: 'Activate kwd-images' }).click({ timeout: 60_000 });
    const activate = dialog('Activate storage domain kwd-images?');
    await activate.getByText('Every host of the datacenter defines and starts its pool').waitFor();
    await screenshot(lab.page, 'storage-activate-ask');
    await activate.getByRole('button', { name: 'Activate' }).click();
    await eventually(
      'the domain active',
      async () => (await ok<StorageDomain>('GET', `/storage-domains/${sd.id}`)).status === 'active',
      90_000,
      500,
    );
    const info = await virshOrThrow(uri(), ['pool-info', `kelpie-${sd.id}`]);
    expect(info).toMatch(/State:\s+running/);
    // Maintenance asks first (what it does), and Cancel leaves the domain active.
    await lab.page.getByRole('button', { name: 'Maintenance kwd-images' }).click();
    const ask = dialog('Put storage domain kwd-images in maintenance?');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect((await ok<StorageDomain>('GET', `/storage-domains/${sd.id}`)).status).toBe('active');
    await lab.page.getByRole('cell', { name: 'active' }).first().waitFor({ timeout: 20_000 });
    await screenshot(lab.page, 'storage-domain-hosts');
  });

  it('uploads an ISO in the Images tab with a progress bar: the volume is in the host pool with the file checksum', async () => {
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'hello.txt'), 'kwd1 portal upload\n'.repeat(20_000));
    const iso = join(work, 'kwd-tools.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'KWD_TEST', '-o', iso, src]);
    const bytes = readFileSync(iso);
    await go(`/storage-domains/${sd.id}`);
    await lab.page.getByRole('tab', { name: 'Images' }).click();
    await lab.page.getByText('No images on this domain yet.').waitFor();
    await lab.page.getByLabel('Image file to upload').setInputFiles(iso);
    await lab.page.getByText(/kwd-tools\.iso: .* uploaded and checked/).waitFor({ timeout: 60_000 });
    expect(
      await lab.page
        .getByRole('progressbar', { name: 'Upload of kwd-tools.iso' })
        .getAttribute('aria-valuenow'),
    ).toBe('100');
    const [image] = await ok<
      { name: string; status: string; sha256: string; sizeBytes: number; path: string }[]
    >('GET', `/storage-domains/${sd.id}/images`);
    expect(image).toMatchObject({
      name: 'kwd-tools.iso',
      status: 'ready',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    await virshOrThrow(uri(), ['pool-refresh', `kelpie-${sd.id}`]);
    // The volume on the host is the image's (named by its id), with the uploaded bytes.
    expect(await virshOrThrow(uri(), ['vol-list', '--pool', `kelpie-${sd.id}`])).toContain(image!.path);
    expect(createHash('sha256').update(readFileSync(image!.path)).digest('hex')).toBe(image!.sha256);
    await lab.page
      .getByRole('row', { name: /kwd-tools\.iso/ })
      .getByText('Ready')
      .waitFor();
    await screenshot(lab.page, 'storage-images');
    expect(await seriousAxeViolations(lab.page)).toEqual([]);
  });

  it("a VM made in the wizard boots the ISO picked by name; its CD-ROM is ejected and given the ISO from the VM page (domblklist); the ISO's delete names the VM", async () => {
    const [image] = await ok<{ id: string; path: string }[]>('GET', `/storage-domains/${sd.id}/images`);
    // Made in the wizard: its ISO picker lists the library's images by name (no host path to type).
    await go('/vms/new');
    await lab.page.getByRole('heading', { name: 'New virtual machine' }).waitFor();
    await lab.page.getByLabel('Name', { exact: true }).fill('kwd-cd');
    await lab.page.getByLabel('Boot source').selectOption('cdrom');
    const picker = lab.page.getByLabel('ISO image');
    await picker.getByRole('option', { name: 'kwd-tools.iso (kwd-images)' }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: 'kwd-tools.iso (kwd-images)' });
    await lab.page.getByLabel('Memory (MiB)').fill('128');
    await screenshot(lab.page, 'wizard-iso-picker');
    await lab.page.getByRole('button', { name: 'Create VM' }).click();
    await lab.page.waitForURL(/\/vms\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    const vmId = lab.page.url().split('/').pop()!;
    expect(await ok<{ boot: unknown; cdromIsoPath: string | null }>('GET', `/vms/${vmId}`)).toMatchObject({
      boot: { kind: 'cdrom' },
      cdromIsoPath: image!.path,
    });
    await run202(lab.p, 'POST', `/api/v1/vms/${vmId}/start`);
    const cdrom = async () =>
      (await virshOrThrow(uri(), ['domblklist', vmId, '--details']))
        .split('\n')
        .find((l) => /\scdrom\s/.test(l))
        ?.trim()
        .split(/\s+/)[3] ?? '-';
    expect(await cdrom()).toBe(image!.path);

    await go(`/vms/${vmId}`);
    await lab.page.getByRole('button', { name: 'Change the CD-ROM of kwd-cd' }).click();
    let d = dialog('CD-ROM of kwd-cd');
    await d.getByRole('option', { name: 'kwd-tools.iso (kwd-images)' }).waitFor({ state: 'attached' });
    await d.getByRole('button', { name: 'Eject' }).click();
    await d.waitFor({ state: 'detached' });
    expect(await cdrom()).toBe('-');
    await lab.page.getByRole('button', { name: 'Change the CD-ROM of kwd-cd' }).click();
    d = dialog('CD-ROM of kwd-cd');
    await d.getByLabel('ISO image').selectOption(image!.id);
    await d.getByRole('button', { name: 'Insert' }).click();
    await d.waitFor({ state: 'detached' });
    expect(await cdrom()).toBe(image!.path);
    // Named as uploaded, not by its volume file.
    await lab.page.getByText('CD-ROM (kwd-tools.iso)').waitFor();
    await screenshot(lab.page, 'vm-cdrom');

    // The ISO in use: its delete is refused, naming the VM, and the dialog stays.
    await go(`/storage-domains/${sd.id}?tab=images`);
    await lab.page.getByRole('button', { name: 'Delete kwd-tools.iso' }).click();
    const del = dialog('Delete image kwd-tools.iso?');
    await del.getByRole('button', { name: 'Delete' }).click();
    await del
      .getByRole('alert')
      .getByText(/in the CD-ROM of kwd-cd/)
      .waitFor();
    await screenshot(lab.page, 'storage-image-in-use');
    await del.getByRole('button', { name: 'Cancel' }).click();
    expect((await ok<unknown[]>('GET', `/storage-domains/${sd.id}/images`)).length).toBe(1);
    await run202(lab.p, 'POST', `/api/v1/vms/${vmId}/poweroff`);
  });

  it('creates a VLAN network attached to the cluster, and a vNIC profile with QoS', async () => {
    await go('/networks');
    await lab.page.getByRole('button', { name: 'New network' }).click();
    const form = dialog('New logical network');
    await form.getByLabel('Name').fill('kwdnet');
    await form.getByLabel('Datacenter', { exact: true }).selectOption(lab.p.datacenterId);
    await form.getByLabel('Clusters of the datacenter').selectOption('optional');
    await form.getByLabel('Bridge').fill('kwdbr0');
    await form.getByLabel('VLAN id').fill('5000');
    await form.getByLabel('MTU').fill('9000');
    await form.getByRole('button', { name: 'Create network' }).click();
    // Checked in the portal first: nothing is sent.
    await form.getByText('a VLAN id from 1 to 4094, or empty for untagged').waitFor();
    await form.getByLabel('VLAN id').fill('10');
    await form.getByRole('button', { name: 'Create network' }).click();
    await form.waitFor({ state: 'detached' });
    const nets = (await ok<{ items: LogicalNetwork[] }>('GET', '/networks?q=kwdnet')).items;
    expect(
      nets.map((n) => ({ name: n.name, bridge: n.bridge, vlanId: n.vlanId, mtu: n.mtu, vm: n.vmNetwork })),
    ).toEqual([{ name: 'kwdnet', bridge: 'kwdbr0', vlanId: 10, mtu: 9000, vm: true }]);
    const net = nets[0]!;
    const attached = await ok<ClusterNetwork[]>('GET', `/clusters/${lab.p.clusterId}/networks`);
    expect(attached.filter((a) => a.networkId === net.id).map((a) => a.attachment)).toEqual(['optional']);
    await lab.page
      .getByRole('row', { name: /kwdnet/ })
      .getByText('(optional)')
      .waitFor();
    await lab.page
      .getByRole('row', { name: /kwdnet/ })
      .getByText('10 / 9000')
      .waitFor();
    await screenshot(lab.page, 'networks-new');
    // At 1280 px with the navigation open every column shows, whole (none cut off at the right).
    expect(await lab.page.locator('.vtable [role=columnheader]').allTextContents()).toEqual([
      expect.stringMatching(/^Name/),
      'Datacenter',
      'Clusters',
      'Bridge',
      'VLAN / MTU',
      'Description',
      'Actions',
    ]);
    expect(await lab.page.locator('.vtable').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await lab.page.getByRole('button', { name: 'Actions for kwdnet' }).click();
    await lab.page.getByRole('menuitem', { name: 'vNIC profiles' }).click();
    await lab.page.getByRole('heading', { name: 'vNIC profiles' }).waitFor();
    await lab.page.getByRole('button', { name: 'New profile' }).click();
    const pf = dialog('New vNIC profile of kwdnet');
    await pf.getByLabel('Name').fill('kwd-gold');
    await pf.getByLabel('Inbound average (KiB/s)').fill('1000');
    await pf.getByLabel('Inbound peak (KiB/s)').fill('2000');
    await pf.getByRole('button', { name: 'Create profile' }).click();
    await pf.waitFor({ state: 'detached' });
    await lab.page
      .getByRole('row', { name: /kwd-gold/ })
      .getByText('1000 KiB/s, peak 2000')
      .waitFor();
    const profiles = await ok<VnicProfile[]>('GET', `/networks/${net.id}/vnic-profiles`);
    expect(profiles.find((x) => x.name === 'kwd-gold')).toMatchObject({
      inbound: { averageKiBps: 1000, peakKiBps: 2000, burstKiB: null },
      outbound: null,
    });
    await screenshot(lab.page, 'vnic-profiles');
    expect(await seriousAxeViolations(lab.page)).toEqual([]);
  });

  it('at 1024×768 the new pages fit, and axe finds nothing serious on them', async () => {
    const small = await newPortalPage(lab.browser);
    try {
      await small.setViewportSize({ width: 1024, height: 768 });
      for (const [path, name] of [
        [`/storage-domains/${sd.id}?tab=images`, 'storage-images-1024'],
        ['/storage-domains', 'storage-list-1024'],
        ['/networks', 'networks-1024'],
        ['/mac-pools', 'mac-pools-1024'],
      ] as const) {
        await small.goto(`${lab.p.engine.baseUrl}${path}`);
        await small.locator('main h1').first().waitFor();
        await small.waitForLoadState('networkidle').catch(() => undefined);
        // Nothing wider than the window, and the lists show whole columns (narrow ones left out).
        expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
        const table = small.locator('.vtable');
        if (await table.count())
          expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        await screenshot(small, name);
        expect({ path, v: await seriousAxeViolations(small) }).toEqual({ path, v: [] });
      }
      // The iSCSI form (CHAP) fits the small window too.
      await small.goto(`${lab.p.engine.baseUrl}/storage-domains`);
      await small.getByRole('button', { name: 'New storage domain' }).click();
      const form = small.getByRole('dialog', { name: 'New storage domain' });
      await form.getByLabel('Type').selectOption('iscsi');
      await form.getByLabel('CHAP secret').waitFor();
      expect(await form.getByLabel('CHAP secret').getAttribute('type')).toBe('password');
      await screenshot(small, 'storage-dialog-iscsi-1024');
      expect(await seriousAxeViolations(small)).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
