import type { InventorySync } from '../../inventory/inventory-sync';
import type { LibvirtClient } from '../../libvirt/operations';
import type { CommandRegistry } from '../registry';
import { CloneHandlers } from './clone-handlers';
import { CloudInitHandlers } from './cloud-init-handlers';
import { CommandHandlers } from './command-handlers';
import { ConsoleHandlers } from './console-handlers';
import { GcHandlers } from './gc-handlers';
import { MigrationHandlers } from './migration-handlers';
import { SnapshotHandlers } from './snapshot-handlers';
import { VmLifecycleHandlers } from './vm-lifecycle-handlers';

/** Every handler class of the agent, registered in one place (the agent and its tests use this). */
export function registerAllHandlers(
  registry: CommandRegistry,
  libvirt: LibvirtClient,
  inventory: InventorySync,
): CommandRegistry {
  return registry
    .registerInstance(new CommandHandlers(libvirt, inventory))
    .registerInstance(new VmLifecycleHandlers(libvirt))
    .registerInstance(new SnapshotHandlers(libvirt))
    .registerInstance(new CloneHandlers(libvirt))
    .registerInstance(new CloudInitHandlers(libvirt))
    .registerInstance(new ConsoleHandlers(libvirt))
    .registerInstance(new MigrationHandlers(libvirt, inventory))
    .registerInstance(new GcHandlers(libvirt));
}
