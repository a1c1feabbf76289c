import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { loadOrCreateKeyFile } from './key-file';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(
  crypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1] & object,
);

const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
/** Host certificates are re-issued by each (re-)enrollment; a year keeps a forgotten host's cert short-lived. */
export const HOST_CERT_DAYS = 365;
/** Host clocks may be behind the engine's: certificates are valid from an hour back. */
const SKEW_MS = 3_600_000;
const SETTING = 'KELPIE_CA_FILE';

/** What a host needs for libvirt/QEMU TLS: the CA, its certificate (server and client use) and key. */
export interface HostCertificate {
  caCertPem: string;
  certPem: string;
  /** PKCS#8 PEM; goes to the host only, never stored or logged by the engine. */
  keyPem: string;
  serialNumber: string;
  notAfter: Date;
}

/**
 * The engine as the fleet's certificate authority (as oVirt's engine is): an ECDSA P-256 CA made at
 * first boot, kept with its key in one 0600 file (KELPIE_CA_FILE, never in the database), shared by
 * all engines of a deployment like the command-signing key. It signs one certificate per host,
 * used by libvirtd (qemu+tls) and by QEMU for encrypted migration streams.
 */
export class CertificateAuthority {
  private constructor(
    private readonly key: CryptoKey,
    readonly cert: x509.X509Certificate,
    readonly certPem: string,
  ) {}

  /** Loads the CA from `file`, creating it when absent; a damaged or unusable CA is a boot error. */
  static async open(file: string, now = new Date()): Promise<CertificateAuthority> {
    const created = existsSync(file) ? undefined : await newCaFile(now);
    const text = loadOrCreateKeyFile(file, SETTING, () => created!).toString('utf8');
    const keyPem = pemBlock(text, 'PRIVATE KEY', file);
    const certPem = pemBlock(text, 'CERTIFICATE', file);
    const cert = new x509.X509Certificate(certPem);
    const nodeKey = createPrivateKey(keyPem);
    const matches = createPublicKey(nodeKey)
      .export({ type: 'spki', format: 'der' })
      .equals(Buffer.from(cert.publicKey.rawData));
    if (!matches) throw new Error(`${SETTING} ${file}: the private key does not belong to the certificate`);
    const basic = cert.getExtension(x509.BasicConstraintsExtension);
    if (!basic?.ca) throw new Error(`${SETTING} ${file}: the certificate is not a CA certificate`);
    if (cert.notAfter.getTime() <= now.getTime() + HOST_CERT_DAYS * DAY_MS)
      throw new Error(
        `${SETTING} ${file}: the CA expires ${cert.notAfter.toISOString()}, before certificates issued now would: ` +
          'move the file away to make a new CA at the next boot, then re-enroll every host',
      );
    const key = await crypto.subtle.importKey(
      'pkcs8',
      nodeKey.export({ type: 'pkcs8', format: 'der' }),
      EC,
      false,
      ['sign'],
    );
    return new CertificateAuthority(key, cert, cert.toString('pem'));
  }

  /** A new key and certificate for a host: CN = its name, SAN = its address (IP or DNS) and name. */
  issueHostCertificate(host: { name: string; address: string }, now = new Date()): Promise<HostCertificate> {
    const names = [host.address];
    if (host.name !== host.address && isDnsName(host.name)) names.push(host.name);
    // One certificate serves libvirtd/QEMU as server (incoming) and as client (outgoing migration).
    const usages = [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
    const subject: x509.JsonName = [{ CN: [host.address] }, { O: ['Kelpie'] }, { OU: [host.name] }];
    return this.issue(subject, names, usages, now);
  }

  /** A TLS server certificate for the portal's web server, naming every address browsers use. */
  issueWebCertificate(names: string[], now = new Date()): Promise<HostCertificate> {
    const subject: x509.JsonName = [{ CN: [names[0]] }, { O: ['Kelpie'] }, { OU: ['portal'] }];
    return this.issue(subject, names, [x509.ExtendedKeyUsage.serverAuth], now);
  }

  private async issue(
    subject: x509.JsonName,
    names: string[],
    usages: string[],
    now: Date,
  ): Promise<HostCertificate> {
    const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    const notAfter = new Date(now.getTime() + HOST_CERT_DAYS * DAY_MS);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: this.cert.subject,
      notBefore: new Date(now.getTime() - SKEW_MS),
      notAfter,
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: this.key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        // GnuTLS (libvirt, QEMU) wants both bits on server and client certificates.
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension(usages),
        new x509.SubjectAlternativeNameExtension(
          names.map((value): x509.JsonGeneralName => ({ type: isIP(value) ? 'ip' : 'dns', value })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.cert.publicKey),
      ],
    });
    const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
    return {
      caCertPem: this.certPem,
      certPem: cert.toString('pem'),
      keyPem: toPem(pkcs8, 'PRIVATE KEY'),
      serialNumber: cert.serialNumber,
      notAfter,
    };
  }
}

async function newCaFile(now: Date): Promise<string> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [`Kelpie engine CA ${now.toISOString().slice(0, 10)}`] }, { O: ['Kelpie'] }],
    notBefore: new Date(now.getTime() - SKEW_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return toPem(pkcs8, 'PRIVATE KEY') + cert.toString('pem') + '\n';
}

/** A positive 128-bit serial (high bit clear: DER integers are signed). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function pemBlock(text: string, label: string, file: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`${SETTING} ${file} holds no ${label} block: not a Kelpie CA file`);
  return `${m[0]}\n`;
}

function isDnsName(name: string): boolean {
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
    name,
  );
}
