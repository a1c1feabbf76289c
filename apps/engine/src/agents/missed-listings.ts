import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/** A remembered miss older than this is stale (listings come every few seconds). */
const MISS_TTL_MS = 10 * 60_000;

/** Second miss on the same host: forget it and say so (1); otherwise remember this one (0). */
const MISSED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0`;

/**
 * VMs missing from one complete listing of their host, remembered in Redis: a VM is detached only
 * when the next listing lacks it too, whichever engine handles that listing (each engine consumes
 * any host's reports). One listing alone may have raced a define or a slow virsh.
 */
@Injectable()
export class MissedListings {
  private readonly logger = new Logger('VmStateSync');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** True on the second listing of `hostId` in a row without the VM. When Redis does not answer
   * the miss counts as a first one: a VM is never detached on doubt. */
  async missedTwice(vmId: string, hostId: string): Promise<boolean> {
    const twice = await this.redis
      .eval(MISSED, 1, this.key(vmId), hostId, MISS_TTL_MS)
      .catch((err: Error) => {
        this.logger.warn(`missed listing of VM ${vmId} not recorded (Redis: ${err.message})`);
        return 0;
      });
    return twice === 1;
  }

  /** The VMs were seen (listed, or an event said what they are): any remembered miss is void. */
  async forget(vmIds: string[]): Promise<void> {
    if (!vmIds.length) return;
    await this.redis
      .unlink(...vmIds.map((id) => this.key(id)))
      .catch((err: Error) => this.logger.debug(`missed listings not cleared: ${err.message}`));
  }

  private key(vmId: string): string {
    return `${this.config.redisPrefix}:vm-missed:${vmId}`;
  }
}
