import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { PoolOperations } from '../../libvirt/operations/pools';
import { VolumeOperations } from '../../libvirt/operations/volumes';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Storage domains on this host (STORAGE_COMMANDS): their pools and resizing their volumes. */
export class StorageHandlers {
  private readonly pools: PoolOperations;
  private readonly volumes: VolumeOperations;

  constructor(private readonly libvirt: LibvirtClient) {
    this.pools = new PoolOperations(libvirt.virsh);
    this.volumes = new VolumeOperations(libvirt.virsh);
  }

  @OnCommand('storage.pool.activate')
  async activate(
    p: ParsedPayload<'storage.pool.activate'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'storage.pool.activate'>> {
    const state = await this.pools.activate(p.pool, p.secret);
    ctx.log.info(
      { pool: p.pool.name, type: p.pool.type, active: state.active, error: state.error },
      'pool activated',
    );
    return state;
  }

  @OnCommand('storage.pool.deactivate')
  async deactivate(
    p: ParsedPayload<'storage.pool.deactivate'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'storage.pool.deactivate'>> {
    await this.pools.remove(p.name);
    ctx.log.info({ pool: p.name }, 'pool removed');
    return { ok: true };
  }

  @OnCommand('storage.pool.volumes')
  async listVolumes(
    p: ParsedPayload<'storage.pool.volumes'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'storage.pool.volumes'>> {
    return { volumes: await this.volumes.listVolumes(p.pool) };
  }

  @OnCommand('volume.resize')
  async resizeVolume(
    p: ParsedPayload<'volume.resize'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'volume.resize'>> {
    const capacityBytes = await this.volumes.resizeVolume(p.pool, p.name, p.capacityBytes);
    ctx.log.info({ pool: p.pool, volume: p.name, capacityBytes }, 'volume resized');
    return { capacityBytes };
  }

  @OnCommand('vm.block-resize')
  async blockResize(
    p: ParsedPayload<'vm.block-resize'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.block-resize'>> {
    await this.libvirt.virsh.run([
      'blockresize',
      '--domain',
      p.uuid,
      '--path',
      p.targetDev,
      '--size',
      `${p.capacityBytes}B`,
    ]);
    ctx.log.info(
      { uuid: p.uuid, targetDev: p.targetDev, capacityBytes: p.capacityBytes },
      'disk resized live',
    );
    return { ok: true };
  }
}
