// The engine's surface for the integration tests (test/) and the benchmarks (bench/), imported as
// `@kelpie/engine/testing`: what they may reach inside the engine, in one reviewed list, instead of
// relative paths into its folders. The lint forbids those (.dependency-cruiser.cjs).
export { createEngineApp } from './app.factory';
export { CommandBus } from './agents/command-bus.service';
export { VmStateSyncService } from './agents/vm-state-sync.service';
export { DomainError } from './common/errors/domain-error';
export { ESTIMATED_ROWS_SQL } from './common/list/estimated-rows';
export { ESTIMATE_TOTAL_ABOVE } from './common/list/list-query';
export { type EngineConfig, loadConfig } from './config/config.schema';
export { ConsoleProxyService } from './console/console-proxy.service';
export { readExact, vncAuthResponse } from './console/rfb';
export { dataSourceOptions } from './database/data-source-options';
// Tests outside this package resolve typeorm through the engine.
export { DataSource } from 'typeorm';
export { runMigrationsUnderLock } from './database/migrate-under-lock';
export { HostsService } from './hosts/hosts.service';
export { REDIS } from './redis/redis.module';
export { STATS_SAMPLES_KEPT, StatsHistoryService } from './stats/stats-history.service';
export { StreamClientsService } from './stream/stream-clients.service';
export { StreamService } from './stream/stream.service';
export { TasksService } from './tasks/tasks.service';
export { FORGED_REPORT_EVENT } from './trust/agent-outbox.relay';
export { HostCredentialsService } from './trust/host-credentials.service';
export { CommandSigner } from './trust/command-signer';
export { CertificateAuthority } from './trust/certificate-authority';
export { EngineSshKey } from './trust/engine-ssh-key';
export { generateOpenApi, serialize } from './tools/openapi';
export { VmsService } from './vms/vms.service';
export { NicsService } from './nics/nics.service';
export { NicRepository } from './nics/nic.repository';
export { undeclaredRoutes } from './auth/route-audit';
export { ENGINE_CONFIG } from './config/config.module';
export { ConsoleTicketService } from './console/console-ticket.service';
export { claimOrphan, releaseClaim } from './tasks/task-adoption';
export { TaskRepository } from './tasks/task.repository';
export { type TaskContext } from './tasks/tasks.service';
export { schemaDiff } from './tools/schema-check';
