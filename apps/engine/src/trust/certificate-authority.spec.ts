import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CertificateAuthority } from './certificate-authority';

describe('CertificateAuthority', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kelpie-ca-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a CA file (0600) at first open and reuses it afterwards', async () => {
    const file = join(dir, 'keys', 'engine-ca.pem');
    const a = await CertificateAuthority.open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = await CertificateAuthority.open(file);
    expect(b.certPem).toBe(a.certPem);
    const ca = new X509Certificate(a.certPem);
    expect(ca.ca).toBe(true);
  });

  it('issues host certificates that chain to the CA and name the host address', async () => {
    const ca = await CertificateAuthority.open(join(dir, 'ca.pem'));
    const issued = await ca.issueHostCertificate({ name: 'node-7', address: '10.9.0.7' });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.verify(new X509Certificate(issued.caCertPem).publicKey)).toBe(true);
    expect(cert.checkIP('10.9.0.7')).toBe('10.9.0.7');
    expect(cert.checkHost('node-7')).toBe('node-7');
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const byName = await ca.issueHostCertificate({ name: 'kvm1', address: 'kvm1.example.org' });
    expect(new X509Certificate(byName.certPem).checkHost('kvm1.example.org')).toBe('kvm1.example.org');
  });

  it('lets two hosts talk mutually authenticated TLS, and refuses a certificate of another CA', async () => {
    const ca = await CertificateAuthority.open(join(dir, 'ca.pem'));
    const other = await CertificateAuthority.open(join(dir, 'other-ca.pem'));
    const server = await ca.issueHostCertificate({ name: 'a', address: '127.0.0.1' });
    const client = await ca.issueHostCertificate({ name: 'b', address: '127.0.0.2' });
    const stranger = await other.issueHostCertificate({ name: 'x', address: '127.0.0.3' });
    const srv = createServer(
      {
        key: server.keyPem,
        cert: server.certPem,
        ca: server.caCertPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (s) => s.end('hello'),
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const talk = (c: { keyPem: string; certPem: string; caCertPem: string }) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(
          { host: '127.0.0.1', port, key: c.keyPem, cert: c.certPem, ca: ca.certPem },
          () => undefined,
        );
        let got = '';
        s.on('data', (d) => (got += String(d)));
        s.on('end', () => resolve(got));
        s.on('error', reject);
      });
    try {
      await expect(talk(client)).resolves.toBe('hello');
      // TLS 1.3: the server refuses the client certificate after the client's handshake: no data, or an error.
      expect(await talk(stranger).catch(() => 'refused')).not.toBe('hello');
    } finally {
      srv.close();
    }
  });

  it('refuses at boot a CA file others can read, or one whose key is not the certificate’s', async () => {
    const file = join(dir, 'ca.pem');
    await CertificateAuthority.open(file);
    chmodSync(file, 0o644);
    await expect(CertificateAuthority.open(file)).rejects.toThrow(/readable by others.*chmod 600/);
    chmodSync(file, 0o600);
    const otherFile = join(dir, 'other.pem');
    await CertificateAuthority.open(otherFile);
    const key = /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/.exec(
      readFileSync(otherFile, 'utf8'),
    )![0];
    const cert = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(
      readFileSync(file, 'utf8'),
    )![0];
    writeFileSync(file, `${key}\n${cert}\n`, { mode: 0o600 });
    await expect(CertificateAuthority.open(file)).rejects.toThrow(/does not belong to the certificate/);
  });
});
