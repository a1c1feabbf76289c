import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshLibvirtTls, type ProgramRunner } from './libvirt-tls-listener';
import { IpCommandError } from './network/ip-runner';

const noTls = 'error: server has no TLS context\n';

/** Programs answer from `failures` (binary → stderr); every call is recorded as one line. */
function recorder(failures: Record<string, string>) {
  const calls: string[] = [];
  const run: ProgramRunner = (binary) => ({
    run: async (args) => {
      calls.push([binary, ...args].join(' '));
      if (failures[binary] !== undefined) throw new IpCommandError(args, failures[binary]!, binary);
      return '';
    },
  });
  return { run, calls };
}

describe('refreshLibvirtTls', () => {
  it('has a running TLS listener re-read its certificate in place', async () => {
    const r = recorder({});
    await expect(refreshLibvirtTls(r.run, '/nonexistent')).resolves.toMatch(/reloaded/);
    expect(r.calls).toEqual(['virt-admin -c libvirtd:///system server-update-tls libvirtd']);
  });

  it('under systemd, enables the TLS socket and restarts libvirtd once when there is no listener', async () => {
    const r = recorder({ 'virt-admin': noTls });
    const systemd = mkdtempSync(join(tmpdir(), 'systemd-'));
    await expect(refreshLibvirtTls(r.run, systemd)).resolves.toMatch(/enabled.*server has no TLS context/);
    expect(r.calls.slice(1)).toEqual([
      'systemctl enable --now libvirtd-tls.socket',
      'systemctl restart libvirtd.service',
    ]);
  });

  it('without systemd, says what the admin must change', async () => {
    const r = recorder({ 'virt-admin': noTls });
    await expect(refreshLibvirtTls(r.run, '/nonexistent')).rejects.toThrow(
      /server has no TLS context\): run it with listen_tls = 1 and --listen/,
    );
    expect(r.calls).toHaveLength(1);
  });

  it('reports a failed systemctl step with its output', async () => {
    const r = recorder({ 'virt-admin': noTls, systemctl: 'Unit not found.' });
    const systemd = mkdtempSync(join(tmpdir(), 'systemd-'));
    await expect(refreshLibvirtTls(r.run, systemd)).rejects.toThrow(
      'systemctl enable --now libvirtd-tls.socket failed: Unit not found.',
    );
  });
});
