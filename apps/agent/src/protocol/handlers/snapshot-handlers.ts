import type { CommandResult } from '@kelpie/shared-types';
import type { LibvirtClient } from '../../libvirt/operations';
import { SnapshotOperations } from '../../libvirt/operations/snapshots';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Snapshots and the storage facts their guards need. */
export class SnapshotHandlers {
  private readonly ops: SnapshotOperations;

  constructor(private readonly libvirt: LibvirtClient) {
    this.ops = new SnapshotOperations(libvirt);
  }

  @OnCommand('vm.storage.info')
  async storageInfo(
    p: ParsedPayload<'vm.storage.info'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.storage.info'>> {
    return { disks: await this.ops.storageInfo(p.uuid) };
  }

  @OnCommand('vm.snapshot.create')
  async create(
    p: ParsedPayload<'vm.snapshot.create'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.snapshot.create'>> {
    await ctx.progress(10, `taking ${p.type} snapshot`);
    const info = await this.ops.create(p.uuid, p);
    ctx.log.info({ snapshot: p.name, type: info.type, parent: info.parent }, 'snapshot created');
    return info;
  }

  @OnCommand('vm.snapshot.list')
  async list(
    p: ParsedPayload<'vm.snapshot.list'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'vm.snapshot.list'>> {
    return { snapshots: await this.ops.list(p.uuid) };
  }

  @OnCommand('vm.snapshot.revert')
  async revert(
    p: ParsedPayload<'vm.snapshot.revert'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.snapshot.revert'>> {
    await ctx.progress(10, 'reverting');
    await this.ops.revert(p.uuid, p.name);
    return this.libvirt.snapshot(p.uuid);
  }

  @OnCommand('vm.snapshot.delete')
  async delete(
    p: ParsedPayload<'vm.snapshot.delete'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'vm.snapshot.delete'>> {
    return this.ops.delete(p.uuid, p.name, (pct, msg) => void ctx.progress(pct, msg), ctx.signal);
  }
}
