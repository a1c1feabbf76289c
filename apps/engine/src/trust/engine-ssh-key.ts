import { engineAuthorizedKeyLine } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { utils } from 'ssh2';
import { ENGINE_CONFIG } from '../config/config.module';
import type { EngineConfig } from '../config/config.schema';
import { loadOrCreateKeyFile } from './key-file';

/**
 * The engine's own SSH identity. Enrollment installs its public half in each host's root
 * authorized_keys with a forced command (the soft-fence script) and `restrict`, so the key can do
 * nothing else on a host; the private half stays in one 0600 file shared by the deployment's engines.
 * ECDSA P-256 in SEC1 PEM: a format ssh2 reads without conversion.
 */
@Injectable()
export class EngineSshKey {
  readonly privateKeyPem: string;
  /** `ecdsa-sha2-nistp256 AAAA…` as authorized_keys lists it. */
  readonly publicKey: string;

  constructor(@Inject(ENGINE_CONFIG) config: Pick<EngineConfig, 'sshKeyFile'>) {
    this.privateKeyPem = loadOrCreateKeyFile(
      config.sshKeyFile,
      'KELPIE_SSH_KEY_FILE',
      () =>
        generateKeyPairSync('ec', {
          namedCurve: 'prime256v1',
          privateKeyEncoding: { type: 'sec1', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        }).privateKey,
    ).toString('utf8');
    const parsed = utils.parseKey(this.privateKeyPem);
    if (parsed instanceof Error || Array.isArray(parsed))
      throw new Error(`KELPIE_SSH_KEY_FILE ${config.sshKeyFile} is not a usable SSH private key`);
    this.publicKey = `${parsed.type} ${parsed.getPublicSSH().toString('base64')}`;
  }

  /** The line enrollment keeps in root's authorized_keys on every host. */
  get authorizedKeyLine(): string {
    return engineAuthorizedKeyLine(this.publicKey);
  }
}
