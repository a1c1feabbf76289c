import {
  DiskFormat,
  ErrorCode,
  EventSeverity,
  ImageInspection,
  ObjectRef,
  ObjectType,
} from '@kelpie/shared-types';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Repository } from 'typeorm';
import { conflict, DomainError, invalidState, validationFailed } from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { DISK_SIZE_MAX, DISK_SIZE_MIN } from '../disks/disk.entity';
import { DisksService } from '../disks/disks.service';
import { EventsService } from '../events/events.service';
import { refOf } from '../crud/inventory.service';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { diskVolumeName, domainPool } from './volume-names';
import { forward, openTransfer } from './host-transfer';
import { refusalOf } from './image-check';
import { ImageEntity } from './image.entity';
import { ImagesService } from './images.service';

/** Audit events of uploads: checked and kept, or refused (and deleted). */
export const IMAGE_UPLOADED_EVENT = 'image.uploaded';
export const IMAGE_REFUSED_EVENT = 'image.refused';

/** How long a host's listener waits for the engine to connect after opening. */
const LISTEN_SECONDS = 60;

/**
 * Resumable uploads (the tus protocol's core: HEAD tells the offset, PATCH appends from it). Each
 * PATCH body streams through the engine to a host that has the domain's pool; the host answers how
 * many bytes it wrote, and only those count — after a dropped connection the client asks the offset
 * and sends the rest. Writing a byte again at the same offset is harmless, so an answer lost with
 * the host's connection only costs a resend. The last byte triggers the checks (checksum, qemu-img
 * info): a refused image is deleted, volume and record.
 */
@Injectable()
export class ImageUploadService {
  private readonly logger = new Logger('ImageUpload');
  /** Uploads under way in this engine, by image id (one PATCH at a time per image). */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    @InjectRepository(ImageEntity) private readonly images: Repository<ImageEntity>,
    private readonly catalog: ImagesService,
    private readonly disks: DisksService,
    private readonly guard: VmGuard,
    private readonly events: EventsService,
  ) {}

  /** The offset to resume from, once an upload under way (e.g. one whose client just dropped) has
   * recorded what the host wrote. */
  async offset(sdId: string, imageId: string): Promise<ImageEntity> {
    await this.running.get(imageId)?.catch(() => undefined);
    return this.catalog.get(sdId, imageId);
  }

  async append(
    sdId: string,
    imageId: string,
    offset: number,
    body: Readable,
    meta: RequestMeta,
  ): Promise<ImageEntity> {
    if (this.running.has(imageId))
      throw conflict('another upload of this image is under way', [
        { field: 'Upload-Offset', reason: 'wait for it to end, then ask the offset again (HEAD)' },
      ]);
    const run = this.appendNow(sdId, imageId, offset, body, meta);
    this.running.set(imageId, run);
    try {
      return await run;
    } finally {
      this.running.delete(imageId);
    }
  }

  private async appendNow(
    sdId: string,
    imageId: string,
    offset: number,
    body: Readable,
    meta: RequestMeta,
  ): Promise<ImageEntity> {
    const image = await this.catalog.get(sdId, imageId);
    if (image.status !== 'uploading')
      throw invalidState(`image ${image.name} is complete`, [
        { field: 'Upload-Offset', reason: 'nothing left to upload' },
      ]);
    if (offset !== image.receivedBytes)
      throw conflict(`the upload of ${image.name} is at ${image.receivedBytes}`, [
        { field: 'Upload-Offset', reason: `must be ${image.receivedBytes}` },
      ]);
    const sd = await this.catalog.usableDomain(sdId);
    const host = await this.catalog.hostFor(sd, image);
    const token = randomBytes(32).toString('base64url');
    const opened = await this.guard.send(
      host,
      'image.receive',
      {
        pool: domainPool(sd),
        volume: image.volumeName,
        sizeBytes: image.sizeBytes,
        offset,
        create: offset === 0,
        token,
        validForSeconds: LISTEN_SECONDS,
      },
      { correlationId: meta.correlationId },
    );
    await this.images.update({ id: image.id }, { path: opened.path, hostId: host.id });
    const socket = await openTransfer(host.address, opened.port, token);
    const { written, overflow } = await forward(body, socket, image.sizeBytes - offset);
    const received = offset + (written ?? 0);
    await this.images.update({ id: image.id, receivedBytes: offset }, { receivedBytes: received });
    this.logger.log(`image ${image.id}: ${written ?? 'no answer'} bytes from ${offset} on host ${host.name}`);
    if (overflow)
      throw validationFailed(`the body goes past the image's ${image.sizeBytes} bytes`, [
        { field: 'body', reason: `at most ${image.sizeBytes - offset} bytes from offset ${offset}` },
      ]);
    const now = { ...image, path: opened.path, hostId: host.id, receivedBytes: received };
    return received === image.sizeBytes ? this.complete(sd, now, meta) : now;
  }

  /** Checks the complete image on the host; a refused one is deleted (volume and record). */
  private async complete(
    sd: StorageDomainEntity,
    image: ImageEntity,
    meta: RequestMeta,
  ): Promise<ImageEntity> {
    const host = await this.catalog.hostFor(sd, image);
    const volume = { pool: domainPool(sd), volume: image.volumeName };
    const via = { correlationId: meta.correlationId };
    const info = await this.guard.send(host, 'image.inspect', volume, via);
    const refusal = refusalOf(info, image) ?? this.diskSizeRefusal(image, info);
    if (refusal) {
      await this.guard.send(host, 'image.delete', volume, via);
      await this.images.delete({ id: image.id });
      await this.events.record({
        severity: EventSeverity.Warning,
        type: IMAGE_REFUSED_EVENT,
        message: `${image.kind} image ${image.name} uploaded to storage domain ${sd.name} was refused and deleted: ${refusal.reason}`,
        refs: [refOf(ObjectType.StorageDomain, sd)],
        correlationId: meta.correlationId,
      });
      throw new DomainError(ErrorCode.Unprocessable, `image ${image.name} refused: ${refusal.reason}`, [
        refusal,
      ]);
    }
    const ready = {
      status: 'ready' as const,
      sha256: info.sha256,
      virtualSizeBytes: info.virtualSizeBytes,
      path: info.path,
    };
    if (image.kind === 'disk') {
      // Under its upload name the garbage collector leaves it alone; as a disk it takes the name every
      // disk volume has (the provisioner, hot-plug and delete derive it from the disk).
      const format = info.format === 'raw' ? DiskFormat.Raw : DiskFormat.Qcow2;
      const to = diskVolumeName({ id: image.id, format });
      const { path } = await this.guard.send(host, 'image.rename', { ...volume, to }, via);
      await this.disks.adoptUploaded(
        {
          id: image.id,
          name: image.name,
          storageDomainId: sd.id,
          volumePath: path,
          format,
          virtualSizeBytes: info.virtualSizeBytes,
          allocationBytes: info.sizeBytes,
        },
        meta,
      );
      // The volume now belongs to the disk: the library keeps only ISOs and uploads under way.
      await this.images.delete({ id: image.id });
      await this.uploaded(sd, image, info, meta, { type: ObjectType.Disk, id: image.id, name: image.name });
      return { ...image, ...ready, path };
    }
    await this.images.update({ id: image.id }, ready);
    await this.uploaded(sd, image, info, meta);
    return { ...image, ...ready };
  }

  private uploaded(
    sd: StorageDomainEntity,
    image: ImageEntity,
    info: ImageInspection,
    meta: RequestMeta,
    disk?: ObjectRef,
  ): Promise<unknown> {
    return this.events.record({
      type: IMAGE_UPLOADED_EVENT,
      message:
        `${image.kind} image ${image.name} (${info.format}, ${info.sizeBytes} bytes, sha256 ${info.sha256}) ` +
        `uploaded to storage domain ${sd.name}${disk ? ': it is now a disk' : ''}`,
      refs: [refOf(ObjectType.StorageDomain, sd), ...(disk ? [disk] : [])],
      correlationId: meta.correlationId,
    });
  }

  private diskSizeRefusal(image: ImageEntity, info: ImageInspection) {
    if (image.kind !== 'disk') return null;
    if (info.virtualSizeBytes < DISK_SIZE_MIN || info.virtualSizeBytes > DISK_SIZE_MAX)
      return {
        field: 'content',
        reason: `virtual size ${info.virtualSizeBytes} is outside ${DISK_SIZE_MIN}..${DISK_SIZE_MAX}`,
      };
    return null;
  }
}
