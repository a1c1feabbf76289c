import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { loadOrCreateKeyFile } from './key-file';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts the secrets the engine must be able to use again (a BMC password: fence_ipmilan needs it in
 * clear), with AES-256-GCM under a key kept in a file of its own (KELPIE_SECRET_KEY_FILE, 0600), never
 * in the database: a dump or a read-only SQL hole yields only ciphertext. Created at first boot; every
 * engine of a deployment must be given the same file, as with the command-signing key.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(ENGINE_CONFIG) config: Pick<EngineConfig, 'secretKeyFile'>) {
    const text = loadOrCreateKeyFile(config.secretKeyFile, 'KELPIE_SECRET_KEY_FILE', () =>
      randomBytes(32).toString('base64'),
    )
      .toString('utf8')
      .trim();
    this.key = Buffer.from(text, 'base64');
    if (this.key.length !== 32)
      throw new Error(`KELPIE_SECRET_KEY_FILE ${config.secretKeyFile} must hold 32 bytes in base64`);
  }

  /** `v1:<base64 of iv | tag | ciphertext>`; `context` (e.g. the row it belongs to) is bound to it, so
   * a ciphertext copied into another row does not decrypt there. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [version, data] = sealed.split(':');
    if (version !== VERSION || !data) throw new Error('not a sealed secret of this engine');
    const raw = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new Error('the secret does not decrypt with KELPIE_SECRET_KEY_FILE (another key, or altered)');
    }
  }
}
