import type { CommandResult } from '@kelpie/shared-types';
import { stat } from 'node:fs/promises';
import { AgentError } from '../../errors/agent-error';
import type { LibvirtClient } from '../../libvirt/operations';
import { receiveInto, sendFrom } from '../../storage/image-files';
import { ImageVolumes } from '../../storage/image-volumes';
import { LiveDiskMove } from '../../storage/live-disk-move';
import { TransferListener } from '../../storage/transfer-listener';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Image uploads and downloads into storage domain pools (IMAGE_COMMANDS). Tokens are never logged. */
export class ImageHandlers {
  private readonly volumes: ImageVolumes;
  private readonly liveMoves: LiveDiskMove;
  /** `<uuid>/<targetDev>` → the live move under way on that disk (aborted by `disk.live-move-abort`). */
  private readonly moving = new Map<string, { abort: AbortController; to: string; done: Promise<string> }>();

  constructor(libvirt: LibvirtClient) {
    this.volumes = new ImageVolumes(libvirt.virsh);
    this.liveMoves = new LiveDiskMove(libvirt.virsh);
  }

  @OnCommand('image.receive')
  async receive(
    p: ParsedPayload<'image.receive'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'image.receive'>> {
    if (p.offset >= p.sizeBytes)
      throw new AgentError(
        'operation_invalid',
        `offset ${p.offset} is past the image's ${p.sizeBytes} bytes`,
      );
    const path = await this.volumes.prepare(p.pool, p.volume, p.sizeBytes, p.create);
    const listener = new TransferListener({
      token: p.token,
      validForMs: p.validForSeconds * 1000,
      log: ctx.log,
      onSession: async (socket, rest) => {
        const written = await receiveInto(socket, rest, path, p.offset, p.sizeBytes - p.offset);
        ctx.log.info({ pool: p.pool, volume: p.volume, offset: p.offset, written }, 'image bytes received');
      },
    });
    return { port: await listener.listen(), path };
  }

  @OnCommand('image.send')
  async send(p: ParsedPayload<'image.send'>, ctx: CommandContext): Promise<CommandResult<'image.send'>> {
    const path = await this.volumes.pathOf(p.pool, p.volume);
    if (!path) throw new AgentError('operation_invalid', `volume ${p.volume} of pool ${p.pool} is gone`);
    const { size } = await stat(path);
    const listener = new TransferListener({
      token: p.token,
      validForMs: p.validForSeconds * 1000,
      log: ctx.log,
      onSession: async (socket) => {
        await sendFrom(socket, path, p.offset);
        ctx.log.info({ pool: p.pool, volume: p.volume, offset: p.offset }, 'image sent');
      },
    });
    return { port: await listener.listen(), sizeBytes: size };
  }

  @OnCommand('image.inspect')
  async inspect(
    p: ParsedPayload<'image.inspect'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'image.inspect'>> {
    return this.volumes.inspect(p.pool, p.volume);
  }

  @OnCommand('image.rename')
  async rename(
    p: ParsedPayload<'image.rename'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'image.rename'>> {
    const path = await this.volumes.rename(p.pool, p.volume, p.to);
    ctx.log.info({ pool: p.pool, volume: p.volume, to: p.to }, 'image volume renamed');
    return { path };
  }

  @OnCommand('volume.copy')
  async copy(p: ParsedPayload<'volume.copy'>, ctx: CommandContext): Promise<CommandResult<'volume.copy'>> {
    const path = await this.volumes.copy(p, p.format, { pool: p.toPool, volume: p.toVolume });
    ctx.log.info({ pool: p.pool, volume: p.volume, toPool: p.toPool }, 'volume copied');
    return { path };
  }

  @OnCommand('disk.live-move')
  async liveMove(
    p: ParsedPayload<'disk.live-move'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'disk.live-move'>> {
    const key = `${p.uuid.toLowerCase()}/${p.targetDev}`;
    const under = this.moving.get(key);
    // The same move asked again (an engine that lost the first command's result): its outcome.
    if (under?.to === `${p.toPool}/${p.toVolume}`) return { path: await under.done };
    if (under) throw new AgentError('operation_invalid', `a move of ${p.targetDev} is already under way`);
    const abort = new AbortController();
    const onTimeout = () => abort.abort('the command timed out');
    ctx.signal.addEventListener('abort', onTimeout, { once: true });
    const done = this.liveMoves.run(p, (pct, msg) => void ctx.progress(pct, msg), abort.signal);
    this.moving.set(key, { abort, to: `${p.toPool}/${p.toVolume}`, done });
    try {
      const path = await done;
      ctx.log.info({ uuid: p.uuid, targetDev: p.targetDev, toPool: p.toPool }, 'disk moved live');
      return { path };
    } finally {
      ctx.signal.removeEventListener('abort', onTimeout);
      this.moving.delete(key);
    }
  }

  @OnCommand('disk.live-move-abort')
  async abortLiveMove(
    p: ParsedPayload<'disk.live-move-abort'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'disk.live-move-abort'>> {
    const move = this.moving.get(`${p.uuid.toLowerCase()}/${p.targetDev}`);
    move?.abort.abort('requested by the engine');
    ctx.log.info({ uuid: p.uuid, targetDev: p.targetDev, aborted: !!move }, 'live disk move abort requested');
    return { aborted: !!move };
  }

  @OnCommand('image.delete')
  async remove(
    p: ParsedPayload<'image.delete'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'image.delete'>> {
    await this.volumes.remove(p.pool, p.volume);
    ctx.log.info({ pool: p.pool, volume: p.volume }, 'image volume deleted');
    return { ok: true };
  }
}
