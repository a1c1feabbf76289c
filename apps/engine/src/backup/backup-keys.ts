import type { EngineConfig } from '../config/config.schema';

/** A secret file of the engine a restored deployment needs (agents trust only what it signed). */
export interface KeyFile {
  /** Its name inside the backup (`keys/<name>`). */
  name: string;
  path: string;
}

/** Every key file the engine's configuration names; a backup without them restores an engine no
 * enrolled host would obey. */
export function keyFilesOf(config: EngineConfig): KeyFile[] {
  return [
    { name: 'command-signing-key.pem', path: config.commandKeyFile },
    // The hosts' TLS certificates chain to it: a new CA would mean re-enrolling every host.
    { name: 'engine-ca.pem', path: config.caFile },
    // Sealed secrets in the database (BMC passwords, CHAP secrets) open only with it.
    { name: 'secret-key', path: config.secretKeyFile },
    // Hosts let it in (for soft fencing only): a new key would mean reinstalling every host's agent.
    { name: 'engine-ssh-key.pem', path: config.sshKeyFile },
  ];
}
