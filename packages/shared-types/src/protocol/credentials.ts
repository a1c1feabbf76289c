import { z } from 'zod';
import { RedisUrl } from './redis-url';

/** What one host's agent needs to talk to the fleet, issued by the engine at enrollment and written on
 * the host as ONE JSON file (mode 0600) that the agent reads at boot (KELPIE_CREDENTIALS_FILE). */
export const AgentCredentials = z.object({
  hostId: z.string().min(1),
  redis: z.object({
    /** redis://host:port or redis-sentinel://s1,s2,s3/<master> (see redis-url.ts), without credentials. */
    url: RedisUrl,
    username: z.string().optional(),
    password: z.string().optional(),
  }),
  /** The engine's Ed25519 public key (PEM): the agent runs only command jobs it signed. */
  commandKey: z.object({ publicKeyPem: z.string().min(1) }),
  tls: z.object({
    caCertPem: z.string(),
    certPem: z.string(),
    keyPem: z.string(),
  }),
  /** Host configuration for an agent the admin deploys (the Debian package: only the credentials
   * `POST /hosts/{id}/credentials` issues carry it; enrollment over SSH does both itself). The
   * package's `host-config.cjs` applies it before each agent start (ADR 0060). */
  hostConfig: z
    .object({
      /** `lock-manager.sh`'s argument: the datacenter's lockspace directory on its shared storage, or
       * `direct` (disk leases on the disk files themselves). */
      lockspace: z.string().min(1),
      /** The engine's line for root's authorized_keys, restricted to the soft-fence script (public key). */
      engineAuthorizedKey: z.string().min(1),
    })
    .optional(),
});
export type AgentCredentials = z.infer<typeof AgentCredentials>;

/** Who may read a TLS file on the host: everyone (certificates), root only (libvirtd's key), root
 * and QEMU's group (QEMU's key: QEMU runs unprivileged). */
export type HostTlsReader = 'all' | 'root' | 'qemu';

/**
 * Where the credentials' TLS part goes on a host, relative to its PKI directory (/etc/pki): libvirtd's
 * server/client pair (qemu+tls connections) and QEMU's directory (default_tls_x509_cert_dir, used by
 * `virsh migrate --tls`). One certificate serves as server and client: it is issued for both uses.
 */
export const HOST_TLS_FILES: readonly [
  path: string,
  part: keyof AgentCredentials['tls'],
  reader: HostTlsReader,
][] = [
  ['CA/cacert.pem', 'caCertPem', 'all'],
  ['libvirt/servercert.pem', 'certPem', 'all'],
  ['libvirt/private/serverkey.pem', 'keyPem', 'root'],
  ['libvirt/clientcert.pem', 'certPem', 'all'],
  ['libvirt/private/clientkey.pem', 'keyPem', 'root'],
  ['qemu/ca-cert.pem', 'caCertPem', 'all'],
  ['qemu/server-cert.pem', 'certPem', 'all'],
  ['qemu/server-key.pem', 'keyPem', 'qemu'],
  ['qemu/client-cert.pem', 'certPem', 'all'],
  ['qemu/client-key.pem', 'keyPem', 'qemu'],
];
