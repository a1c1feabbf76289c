import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostsModule } from '../hosts/hosts.module';
import { ENGINE_CONFIG } from '../config/config.module';
import type { EngineConfig } from '../config/config.schema';
import { AgentOutboxRelay } from './agent-outbox.relay';
import { CertificateAuthority } from './certificate-authority';
import { CommandSigner } from './command-signer';
import { EngineSshKey } from './engine-ssh-key';
import { HostCredentialEntity } from './host-credential.entity';
import { HostCredentialsService } from './host-credentials.service';
import { SecretBox } from './secret-box';
import { ensureWebTlsCertificate } from './web-tls-certificate';

/** The engine as the fleet's trust anchor: per-host Redis identities, reports accepted only from the
 * host they name, commands signed by the engine, the CA of the hosts' TLS certificates. */
@Module({
  imports: [HostsModule, TypeOrmModule.forFeature([HostCredentialEntity])],
  providers: [
    HostCredentialsService,
    AgentOutboxRelay,
    CommandSigner,
    SecretBox,
    // Created or checked before the engine serves, like the other key files.
    EngineSshKey,
    {
      // Opened (created at first boot) and checked before the engine serves: a bad CA is a boot error.
      provide: CertificateAuthority,
      useFactory: (config: EngineConfig) => CertificateAuthority.open(config.caFile),
      inject: [ENGINE_CONFIG],
    },
    {
      // Before the engine serves, so the portal's web server (waiting for the file) starts with it.
      provide: 'WEB_TLS_CERTIFICATE',
      useFactory: async (ca: CertificateAuthority, config: EngineConfig) => {
        if (!config.webTls) return 'admin-supplied';
        const outcome = await ensureWebTlsCertificate(ca, config.webTls);
        new Logger('Trust').log(`portal TLS certificate for ${config.webTls.names.join(', ')}: ${outcome}`);
        return outcome;
      },
      inject: [CertificateAuthority, ENGINE_CONFIG],
    },
  ],
  exports: [HostCredentialsService, CommandSigner, CertificateAuthority, SecretBox, EngineSshKey],
})
export class TrustModule {}
