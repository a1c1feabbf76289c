import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOrThrow } from './process-runner';

/**
 * libvirtd with `listen_tls = 1` refuses to start without a CA, a server certificate and its key,
 * but a lab host's real ones come from the engine only once its agent runs (the agent installs them
 * and has libvirtd reload them). Until then the host serves a throwaway certificate of its own
 * throwaway CA, which no engine-issued client certificate trusts: nothing can use it by mistake.
 * Written once; the agent's files replace it.
 */
export async function writePlaceholderTls(pkiDir: string, ip: string): Promise<void> {
  const caCert = join(pkiDir, 'CA', 'cacert.pem');
  if (await exists(caCert)) return;
  const work = await mkdtemp(join(tmpdir(), 'kelpie-lab-tls-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await runOrThrow('openssl', [
      'req',
      '-x509',
      ...ec,
      '-days',
      '3650',
      '-keyout',
      join(work, 'ca.key'),
      '-out',
      join(work, 'ca.pem'),
      '-subj',
      '/CN=kelpie lab placeholder CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await runOrThrow('openssl', [
      'req',
      ...ec,
      '-keyout',
      join(work, 'host.key'),
      '-out',
      join(work, 'host.csr'),
      '-subj',
      `/CN=${ip}`,
    ]);
    await writeFile(
      join(work, 'ext.cnf'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=IP:${ip}`,
        '',
      ].join('\n'),
    );
    await runOrThrow('openssl', [
      'x509',
      '-req',
      '-days',
      '3650',
      '-in',
      join(work, 'host.csr'),
      '-CA',
      join(work, 'ca.pem'),
      '-CAkey',
      join(work, 'ca.key'),
      '-CAcreateserial',
      '-extfile',
      join(work, 'ext.cnf'),
      '-out',
      join(work, 'host.pem'),
    ]);
    await mkdir(join(pkiDir, 'libvirt', 'private'), { recursive: true, mode: 0o700 });
    await mkdir(join(pkiDir, 'CA'), { recursive: true, mode: 0o755 });
    for (const [from, to, mode] of [
      ['host.pem', 'libvirt/servercert.pem', 0o644],
      ['host.key', 'libvirt/private/serverkey.pem', 0o600],
      ['host.pem', 'libvirt/clientcert.pem', 0o644],
      ['host.key', 'libvirt/private/clientkey.pem', 0o600],
      ['ca.pem', 'CA/cacert.pem', 0o644],
    ] as const) {
      await runOrThrow('install', ['-m', mode.toString(8), join(work, from), join(pkiDir, to)]);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
