import * as x509 from '@peculiar/x509';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateAuthority } from './certificate-authority';

/** A certificate this close to expiry is replaced at the next boot. */
const RENEW_BEFORE_MS = 30 * 86_400_000;
export const WEB_TLS_FILE = 'portal.pem';

export type WebTlsOutcome = 'issued' | 'kept';

/**
 * Makes sure the portal's web server has a certificate from the engine CA (compose deployments where
 * the admin supplies none): issued when missing, expiring within 30 days, or no longer naming every
 * configured name. Certificate, CA and key go into one file written aside and renamed, so engines
 * booting together or nginx reading meanwhile never see a key that is not the certificate's.
 */
export async function ensureWebTlsCertificate(
  ca: CertificateAuthority,
  settings: { dir: string; names: string[] },
  now = new Date(),
): Promise<WebTlsOutcome> {
  const file = join(settings.dir, WEB_TLS_FILE);
  if (stillGood(file, settings.names, now)) return 'kept';
  const issued = await ca.issueWebCertificate(settings.names, now);
  mkdirSync(settings.dir, { recursive: true, mode: 0o750 });
  const temp = `${file}.${process.pid}.tmp`;
  // 0640: the web server (root in its container) reads it; nobody else on the volume should.
  const pem = [issued.certPem, issued.caCertPem, issued.keyPem].map((p) => p.trimEnd() + '\n').join('');
  writeFileSync(temp, pem, { mode: 0o640 });
  renameSync(temp, file);
  return 'issued';
}

function stillGood(file: string, names: string[], now: Date): boolean {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const cert = new x509.X509Certificate(pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25));
  if (cert.notAfter.getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const named = new Set(san?.names.items.map((n) => n.value) ?? []);
  return names.every((n) => named.has(n));
}
