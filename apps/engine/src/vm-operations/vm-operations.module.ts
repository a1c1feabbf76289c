import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { VmGuardModule } from '../vm-guard/vm-guard.module';
import { ImagesModule } from '../images/images.module';
import { VmLifecycleController } from './vm-lifecycle.controller';
import { HostlessVmSearch } from './hostless-search';
import { HotplugAdoption } from './hotplug-adoption';
import { VmCreateAdoption } from './vm-create-adoption';
import { VmDeleteAdoption } from './vm-delete-adoption';
import { VmEditAdoption } from './vm-edit-adoption';
import { VmPowerAdoption } from './vm-power-adoption';
import { HotplugRunner } from './hotplug-runner';
import { VmCdromService } from './vm-cdrom.service';
import { VmDiskHotplugService } from './vm-disk-hotplug.service';
import { VmNicHotplugService } from './vm-nic-hotplug.service';
import { VmNicUpdateService } from './vm-nic-update.service';
import { NicQosRollout } from './nic-qos-rollout.service';
import { NicUpdateAdoption } from './nic-update-adoption';
import { VmCreateService } from './vm-create.service';
import { VmDeleteService } from './vm-delete.service';
import { VmEditService } from './vm-edit.service';
import { VmPowerService } from './vm-power.service';
import { VmProvisioner } from './vm-provisioner.service';
import { VmStatusWaiter } from './vm-status-waiter';

/** VM operations, one service per action (create, power, edit, delete, disk and NIC hot-plug,
 * CD-ROM) over a shared provisioner; serves the /vms writes (create, update, delete reach hosts). */
@Module({
  imports: [InventoryModule, AgentsModule, SchedulingModule, VmGuardModule, ImagesModule],
  controllers: [VmLifecycleController],
  providers: [
    VmProvisioner,
    VmStatusWaiter,
    VmCreateService,
    VmPowerService,
    VmEditService,
    VmDeleteService,
    HostlessVmSearch,
    HotplugRunner,
    VmDiskHotplugService,
    VmNicHotplugService,
    VmNicUpdateService,
    NicQosRollout,
    NicUpdateAdoption,
    VmCdromService,
    VmCreateAdoption,
    VmPowerAdoption,
    VmDeleteAdoption,
    VmEditAdoption,
    HotplugAdoption,
  ],
  exports: [VmPowerService],
})
export class VmOperationsModule {}
