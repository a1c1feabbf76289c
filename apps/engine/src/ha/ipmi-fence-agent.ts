import { Injectable } from '@nestjs/common';
import { HostEntity } from '../hosts/host.entity';
import { PowerManagementService } from '../power-management/power-management.service';
import { FenceAgent, FenceOutcome, FenceStepAudit } from './fence-agent';

/**
 * Hard fencing through the host's BMC with Debian's `fence_ipmilan`: power off (the agent itself waits
 * until the BMC reports off), then a separate status query to confirm it — only a BMC saying "off"
 * proves the host's VMs dead. Power on comes later (`restore`), once the fencing service released the
 * VMs. Every step is audited by the caller's `step`.
 */
@Injectable()
export class IpmiFenceAgent implements FenceAgent {
  readonly kind = 'ipmilan';

  constructor(private readonly power: PowerManagementService) {}

  appliesTo(host: HostEntity): Promise<boolean> {
    return this.power.configured(host.id);
  }

  async fence(host: HostEntity, signal: AbortSignal, step: FenceStepAudit): Promise<FenceOutcome> {
    await step('power off through its BMC (ipmilan)');
    const off = await this.power.power(host.id, 'off', signal);
    await step(`power off: ${off.detail}`);
    // A BMC that did not answer at all will not answer the confirmation either: say so now rather
    // than wait for a second timeout (total power loss then goes on to the lease check at once).
    if (!off.ok && off.field === 'address')
      return {
        ok: false,
        hostIsOff: false,
        detail: `host ${host.name} is not proven off: its BMC is unreachable (${off.detail}); its VMs stay unknown`,
      };
    const status = await this.power.power(host.id, 'status', signal);
    await step(`confirm power off: ${status.detail}`);
    if (status.ok && status.powerStatus === 'off')
      return { ok: true, hostIsOff: true, detail: `the BMC confirmed host ${host.name} is powered off` };
    return {
      ok: false,
      hostIsOff: false,
      detail: `host ${host.name} is not proven off (${off.ok ? status.detail : off.detail}): its VMs stay unknown`,
    };
  }

  async restore(host: HostEntity, signal: AbortSignal, step: FenceStepAudit): Promise<void> {
    const on = await this.power.power(host.id, 'on', signal);
    await step(`power on: ${on.detail}`);
  }
}
