import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Exec, ExecResult, refreshLibvirtTls } from './libvirt-tls-listener';

const ok: ExecResult = { code: 0, stdout: '', stderr: '' };
const noTls: ExecResult = { code: 1, stdout: '', stderr: 'error: server has no TLS context\n' };

function recorder(answers: Record<string, ExecResult>) {
  const calls: string[] = [];
  const exec: Exec = async (file, args) => {
    const line = [file, ...args].join(' ');
    calls.push(line);
    return answers[file] ?? ok;
  };
  return { exec, calls };
}

describe('refreshLibvirtTls', () => {
  it('has a running TLS listener re-read its certificate in place', async () => {
    const r = recorder({});
    await expect(refreshLibvirtTls(r.exec, '/nonexistent')).resolves.toMatch(/reloaded/);
    expect(r.calls).toEqual(['virt-admin -c libvirtd:///system server-update-tls libvirtd']);
  });

  it('under systemd, enables the TLS socket and restarts libvirtd once when there is no listener', async () => {
    const r = recorder({ 'virt-admin': noTls });
    const systemd = mkdtempSync(join(tmpdir(), 'systemd-'));
    await expect(refreshLibvirtTls(r.exec, systemd)).resolves.toMatch(/enabled.*server has no TLS context/);
    expect(r.calls.slice(1)).toEqual([
      'systemctl enable --now libvirtd-tls.socket',
      'systemctl restart libvirtd.service',
    ]);
  });

  it('without systemd, says what the admin must change', async () => {
    const r = recorder({ 'virt-admin': noTls });
    await expect(refreshLibvirtTls(r.exec, '/nonexistent')).rejects.toThrow(
      /server has no TLS context\): run it with listen_tls = 1 and --listen/,
    );
    expect(r.calls).toHaveLength(1);
  });

  it('reports a failed systemctl step with its output', async () => {
    const r = recorder({
      'virt-admin': noTls,
      systemctl: { code: 5, stdout: '', stderr: 'Unit not found.' },
    });
    const systemd = mkdtempSync(join(tmpdir(), 'systemd-'));
    await expect(refreshLibvirtTls(r.exec, systemd)).rejects.toThrow(
      'systemctl enable --now libvirtd-tls.socket failed: Unit not found.',
    );
  });
});
