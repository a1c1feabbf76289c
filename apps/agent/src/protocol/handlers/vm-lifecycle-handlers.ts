import { access, mkdir } from 'node:fs/promises';
import type { CommandResult, VmDeviceSpec } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { VmDeviceOperations, type DeviceRelease } from '../../libvirt/operations/vm-devices';
import { deleteVolumeChain } from '../../libvirt/operations/volume-chain';
import { VolumeOperations } from '../../libvirt/operations/volumes';
import { VirshError } from '../../libvirt/process';
import { readNvram, writeNvram } from '../../libvirt/operations/nvram-file';
import {
  buildDiskXml,
  buildDomainXml,
  buildNicXml,
  NVRAM_DIR,
  nvramPathFor,
} from '../../libvirt/xml/domain-builder';
import { AgentError } from '../../errors/agent-error';
import { ipRunner, ovsBridgeExists } from '../../host/network';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

const isNotFound = (e: unknown) => e instanceof VirshError && e.code === 'domain_not_found';
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function deviceXml(device: VmDeviceSpec): string {
  return device.kind === 'disk' ? buildDiskXml(device.disk) : buildNicXml(device.nic);
}

/** VM lifecycle commands (VM_COMMANDS): pools and volumes, defining from the typed spec, edits and
 * hot-plug. Power commands stay in CommandHandlers. */
export class VmLifecycleHandlers {
  private readonly volumes: VolumeOperations;
  private readonly devices: VmDeviceOperations;

  constructor(private readonly libvirt: LibvirtClient) {
    this.volumes = new VolumeOperations(libvirt.virsh);
    this.devices = new VmDeviceOperations(libvirt.virsh);
  }

  @OnCommand('storage.ensure-pool')
  async ensurePool(
    p: ParsedPayload<'storage.ensure-pool'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'storage.ensure-pool'>> {
    if (!(await exists(p.path))) {
      throw new AgentError('operation_invalid', `storage directory ${p.path} does not exist on this host`);
    }
    const res = await this.volumes.ensureDirPool(p.name, p.path);
    if (res.created) ctx.log.info({ pool: res.pool, path: res.path }, 'storage pool defined');
    return res;
  }

  @OnCommand('volume.create')
  async createVolume(
    p: ParsedPayload<'volume.create'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'volume.create'>> {
    const res = await this.volumes.createVolume(p.pool, p.name, p.capacityBytes, p.format);
    if (res.created) ctx.log.info({ pool: p.pool, volume: p.name }, 'volume created');
    return res;
  }

  @OnCommand('volume.delete')
  async deleteVolume(
    p: ParsedPayload<'volume.delete'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'volume.delete'>> {
    // Snapshot overlays are files next to a volume: only directory pools have chains to follow.
    const deleted = (await this.volumes.isDirectoryPool(p.pool))
      ? await deleteVolumeChain(this.volumes, p.pool, p.name, p.top)
      : await this.volumes.deleteNetworkVolume(p.pool, p.name);
    ctx.log.info({ pool: p.pool, volume: p.name, deleted }, 'volume deleted');
    return { ok: true, deleted };
  }

  @OnCommand('host.check-resources')
  async checkResources(
    p: ParsedPayload<'host.check-resources'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'host.check-resources'>> {
    const missingPaths: string[] = [];
    for (const path of p.paths) if (!(await exists(path))) missingPaths.push(path);
    const missingBridges: string[] = [];
    for (const bridge of p.bridges) {
      // A Linux bridge has /sys/class/net/<name>/bridge (the agent runs in the host's network
      // namespace); an Open vSwitch network is a (fake) bridge in the host's ovsdb.
      if (
        !(await exists(`/sys/class/net/${bridge}/bridge`)) &&
        !(await ovsBridgeExists(ipRunner('ovs-vsctl'), bridge))
      )
        missingBridges.push(bridge);
    }
    return { missingPaths, missingBridges };
  }

  @OnCommand('vm.define-spec')
  async defineSpec(
    p: ParsedPayload<'vm.define-spec'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.define-spec'>> {
    const spec = { ...p.spec };
    let renamed = false;
    try {
      const current = await this.libvirt.domstate(spec.uuid);
      const info = await this.libvirt.domainXml(spec.uuid, { inactive: true });
      if (info.name !== spec.name) {
        if (current.state === 'shutoff') {
          await this.devices.rename(spec.uuid, spec.name);
          renamed = true;
        } else {
          // libvirt renames only inactive domains: keep the name until the next stop.
          spec.name = info.name;
        }
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const xml = buildDomainXml(spec);
    const { name } = await this.libvirt.define(xml);
    ctx.log.info({ domain: name, uuid: spec.uuid }, 'domain defined from spec');
    return { domain: await this.libvirt.snapshot(spec.uuid), xml, renamed };
  }

  @OnCommand('vm.nvram.export')
  async exportNvram(
    p: ParsedPayload<'vm.nvram.export'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.nvram.export'>> {
    return readNvram(nvramPathFor(p.uuid));
  }

  @OnCommand('vm.nvram.import')
  async importNvram(
    p: ParsedPayload<'vm.nvram.import'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.nvram.import'>> {
    try {
      const { state } = await this.libvirt.domstate(p.uuid);
      if (state !== 'shutoff')
        throw new AgentError('operation_invalid', `domain ${p.uuid} is ${state}: its NVRAM file is in use`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await mkdir(NVRAM_DIR, { recursive: true });
    const res = await writeNvram(nvramPathFor(p.uuid), p.nvram);
    ctx.log.info({ uuid: p.uuid, sha256: res.sha256, bytes: p.nvram.sizeBytes }, 'NVRAM file imported');
    return res;
  }

  @OnCommand('vm.configure')
  async configure(
    p: ParsedPayload<'vm.configure'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.configure'>> {
    const state = await this.libvirt.domstate(p.uuid);
    const info = await this.libvirt.domainXml(p.uuid, { inactive: true });
    let renamed = false;
    if (p.name !== undefined && p.name !== info.name && state.state === 'shutoff') {
      await this.devices.rename(p.uuid, p.name);
      renamed = true;
    }
    if (p.vcpus !== undefined && p.vcpus !== info.vcpus) await this.devices.setVcpusConfig(p.uuid, p.vcpus);
    if (p.memoryMib !== undefined || p.maxMemoryMib !== undefined) {
      const currentMaxMib = Math.round(info.maxMemoryKiB / 1024);
      const max = p.maxMemoryMib ?? currentMaxMib;
      const cur = p.memoryMib ?? Math.min(Math.round(info.currentMemoryKiB / 1024), max);
      await this.devices.setMemoryConfig(p.uuid, cur, max, currentMaxMib);
    }
    ctx.log.info({ uuid: p.uuid, renamed }, 'domain configuration changed');
    return { domain: await this.libvirt.snapshot(p.uuid), renamed };
  }

  @OnCommand('vm.set-memory-live')
  async setMemoryLive(
    p: ParsedPayload<'vm.set-memory-live'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.set-memory-live'>> {
    await this.devices.setMemoryLive(p.uuid, p.memoryMib);
    return this.libvirt.snapshot(p.uuid);
  }

  @OnCommand('vm.attach-device')
  async attachDevice(
    p: ParsedPayload<'vm.attach-device'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.attach-device'>> {
    const xml = deviceXml(p.device);
    await this.devices.attachDevice(p.uuid, xml, p.live);
    ctx.log.info({ uuid: p.uuid, kind: p.device.kind, live: p.live }, 'device attached');
    return { xml };
  }

  @OnCommand('vm.detach-device')
  async detachDevice(
    p: ParsedPayload<'vm.detach-device'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.detach-device'>> {
    const released: DeviceRelease =
      p.device.kind === 'nic'
        ? { kind: 'nic', id: p.device.nic.mac }
        : { kind: 'disk', id: p.device.disk.targetDev };
    await this.devices.detachDevice(p.uuid, deviceXml(p.device), p.live, released);
    ctx.log.info({ uuid: p.uuid, kind: p.device.kind, live: p.live }, 'device detached');
    return { ok: true };
  }

  @OnCommand('vm.change-media')
  async changeMedia(
    p: ParsedPayload<'vm.change-media'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.change-media'>> {
    try {
      await this.devices.changeMedia(p.uuid, p.targetDev, p.isoPath, p.live);
    } catch (e) {
      // Ejecting an empty drive.
      if (!(
        p.isoPath === null &&
        e instanceof VirshError &&
        /doesn't have media|no media|is empty/i.test(e.message)
      ))
        throw e;
    }
    return { ok: true };
  }
}
