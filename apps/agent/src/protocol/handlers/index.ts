import type { HostNetworking } from '../../host/network';
import type { InventorySync } from '../../inventory/inventory-sync';
import type { LibvirtClient } from '../../libvirt/operations';
import type { CommandRegistry } from '../registry';
import { AgentHandlers } from './agent-handlers';
import { CloneHandlers } from './clone-handlers';
import { CloudInitHandlers } from './cloud-init-handlers';
import { CommandHandlers } from './command-handlers';
import { ConsoleHandlers } from './console-handlers';
import { DevHandlers } from './dev-handlers';
import { FenceHandlers } from './fence-handlers';
import { GcHandlers } from './gc-handlers';
import { HostNetworkHandlers } from './host-network-handlers';
import { ImageHandlers } from './image-handlers';
import { MigrationHandlers } from './migration-handlers';
import { SnapshotHandlers } from './snapshot-handlers';
import { StorageHandlers } from './storage-handlers';
import { VmLifecycleHandlers } from './vm-lifecycle-handlers';
import { VmNicHandlers } from './vm-nic-handlers';

/** Every handler class of the agent, registered in one place (the agent and its tests use this). */
export function registerAllHandlers(
  registry: CommandRegistry,
  libvirt: LibvirtClient,
  inventory: InventorySync,
  networking: HostNetworking,
  installDir?: string,
  devCommands = false,
  pkiDir = '/etc/pki',
): CommandRegistry {
  if (devCommands) registry.registerInstance(new DevHandlers(libvirt));
  return registry
    .registerInstance(new CommandHandlers(libvirt, inventory))
    .registerInstance(new VmLifecycleHandlers(libvirt))
    .registerInstance(new VmNicHandlers(libvirt))
    .registerInstance(new SnapshotHandlers(libvirt))
    .registerInstance(new CloneHandlers(libvirt))
    .registerInstance(new CloudInitHandlers(libvirt))
    .registerInstance(new ConsoleHandlers(libvirt))
    .registerInstance(new MigrationHandlers(libvirt, inventory, libvirt.reads, pkiDir))
    .registerInstance(new GcHandlers(libvirt))
    .registerInstance(new StorageHandlers(libvirt))
    .registerInstance(new ImageHandlers(libvirt))
    .registerInstance(new AgentHandlers(installDir))
    .registerInstance(new FenceHandlers())
    .registerInstance(new HostNetworkHandlers(networking));
}
