import { commandSigningInput, type CommandEnvelope, type CommandSignature } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { loadOrCreateKeyFile } from './key-file';

/**
 * Signs every command job the engine sends (ADR 0017), so a client holding a host's Redis
 * credentials (which can write that host's queue: BullMQ needs it) cannot make its agent run
 * anything. The Ed25519 private key lives in a file of its own (KELPIE_COMMAND_KEY_FILE, 0600), never
 * in the database: a database dump or a read-only SQL hole gives nothing to sign with. Created at
 * first boot; the public key goes to each host with its credentials at enrollment.
 */
@Injectable()
export class CommandSigner {
  private readonly privateKey: KeyObject;
  /** PEM (SPKI) of the public key agents verify with. */
  readonly publicKeyPem: string;

  constructor(@Inject(ENGINE_CONFIG) config: Pick<EngineConfig, 'commandKeyFile'>) {
    this.privateKey = loadOrCreateKey(config.commandKeyFile);
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The envelope with its signature for `hostId`'s job `jobId`, issued now. */
  sign(hostId: string, jobId: string, envelope: CommandEnvelope, now = Date.now()): CommandEnvelope {
    const input = commandSigningInput(hostId, jobId, envelope, now);
    const signature: CommandSignature = {
      issuedAt: now,
      value: sign(null, Buffer.from(input, 'utf8'), this.privateKey).toString('base64'),
    };
    return { ...envelope, signature };
  }
}

/** The key in `file`; created when absent. */
function loadOrCreateKey(file: string): KeyObject {
  const key = createPrivateKey(
    loadOrCreateKeyFile(file, 'KELPIE_COMMAND_KEY_FILE', () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    ),
  );
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`KELPIE_COMMAND_KEY_FILE ${file} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}
