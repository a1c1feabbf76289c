import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CertificateAuthority } from './certificate-authority';
import { ensureWebTlsCertificate, WEB_TLS_FILE } from './web-tls-certificate';

const DAY = 86_400_000;

describe('the portal TLS certificate issued by the engine', () => {
  let dir: string;
  let ca: CertificateAuthority;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kelpie-web-tls-'));
    ca = await CertificateAuthority.open(join(dir, 'ca.pem'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pemOf = () => readFileSync(join(dir, 'tls', WEB_TLS_FILE), 'utf8');
  const certOf = (pem: string) =>
    new X509Certificate(pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25));

  it('is issued once into one 0640 file whose key is the certificate’s, naming every portal name', async () => {
    const settings = { dir: join(dir, 'tls'), names: ['kelpie.example.org', '192.0.2.10'] };
    expect(await ensureWebTlsCertificate(ca, settings)).toBe('issued');
    expect(statSync(join(dir, 'tls', WEB_TLS_FILE)).mode & 0o777).toBe(0o640);
    const pem = pemOf();
    const cert = certOf(pem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkHost('kelpie.example.org')).toBe('kelpie.example.org');
    expect(cert.checkIP('192.0.2.10')).toBe('192.0.2.10');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(createPublicKey(createPrivateKey(pem)).export({ format: 'der', type: 'spki' })).toEqual(
      cert.publicKey.export({ format: 'der', type: 'spki' }),
    );
    expect(await ensureWebTlsCertificate(ca, settings)).toBe('kept');
    expect(pemOf()).toBe(pem);
  });

  it('is issued again when it nears expiry or a new portal name is configured', async () => {
    const settings = { dir: join(dir, 'tls'), names: ['localhost'] };
    await ensureWebTlsCertificate(ca, settings);
    const first = pemOf();
    expect(await ensureWebTlsCertificate(ca, settings, new Date(Date.now() + 340 * DAY))).toBe('issued');
    expect(pemOf()).not.toBe(first);
    const renamed = { ...settings, names: ['localhost', 'portal.example.org'] };
    expect(await ensureWebTlsCertificate(ca, renamed)).toBe('issued');
    expect(certOf(pemOf()).checkHost('portal.example.org')).toBe('portal.example.org');
  });

  it('serves TLS that a client trusting the engine CA accepts for the portal name', async () => {
    await ensureWebTlsCertificate(ca, { dir: join(dir, 'tls'), names: ['localhost'] });
    const pem = pemOf();
    const server = createServer({ cert: pem, key: pem }, (s) => s.end('portal'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const c = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: ca.certPem }, () => {
          let data = '';
          c.on('data', (d) => (data += d)).on('end', () => resolve(data));
        });
        c.on('error', reject);
      });
      expect(body).toBe('portal');
    } finally {
      server.close();
    }
  });
});
