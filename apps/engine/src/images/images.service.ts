import {
  ErrorCode,
  HostStatus,
  ObjectType,
  StorageDomainStatus,
  StorageDomainType,
} from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import {
  conflict,
  DomainError,
  invalidState,
  notFound,
  validationFailed,
} from '../common/errors/domain-error';
import { RequestMeta } from '../common/http/request-meta';
import { refOf } from '../crud/inventory.service';
import { HostEntity } from '../hosts/host.entity';
import { StorageLifecycleRepository } from '../storage-lifecycle/storage-lifecycle.repository';
import type { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { StorageDomainRepository } from '../storage-domains/storage-domain.repository';
import { VmGuard } from '../vm-guard/vm-guard.service';
import { domainPool } from './volume-names';
import { VmRepository } from '../vms/vm.repository';
import { CreateImageDto } from './image.dto';
import { ImageEntity } from './image.entity';

/** Domain types whose volumes are files Kelpie can write (an iSCSI or RBD domain's are LUNs/images). */
const FILE_DOMAINS: StorageDomainType[] = [
  StorageDomainType.Dir,
  StorageDomainType.Local,
  StorageDomainType.Nfs,
];
const IN_USE: StorageDomainStatus[] = [StorageDomainStatus.Active, StorageDomainStatus.Degraded];

/** The images of a storage domain: its ISO library and the disk images being uploaded. */
@Injectable()
export class ImagesService {
  constructor(
    @InjectRepository(ImageEntity) private readonly images: Repository<ImageEntity>,
    private readonly sds: StorageDomainRepository,
    private readonly vms: VmRepository,
    private readonly storage: StorageLifecycleRepository,
    private readonly guard: VmGuard,
  ) {}

  /** A domain images can go to now: in use, file-based. */
  async usableDomain(sdId: string): Promise<StorageDomainEntity> {
    const sd = await this.sds.find(sdId);
    if (!sd) throw notFound(ObjectType.StorageDomain, sdId);
    if (!FILE_DOMAINS.includes(sd.type))
      throw invalidState(
        `storage domain ${sd.name} is ${sd.type}: its volumes are not files that take uploads`,
        [{ reason: `type ${sd.type}`, ref: refOf(ObjectType.StorageDomain, sd) }],
      );
    if (!IN_USE.includes(sd.status))
      throw invalidState(`storage domain ${sd.name} is ${sd.status}: activate it first`, [
        { reason: `domain is ${sd.status}`, ref: refOf(ObjectType.StorageDomain, sd) },
      ]);
    return sd;
  }

  async create(sdId: string, dto: CreateImageDto, meta: RequestMeta): Promise<ImageEntity> {
    const sd = await this.usableDomain(sdId);
    const format = dto.kind === 'iso' ? 'iso' : dto.format;
    if (!format)
      throw validationFailed('a disk image needs its format', [{ field: 'format', reason: 'raw or qcow2' }]);
    if (await this.images.existsBy({ storageDomainId: sd.id, name: dto.name }))
      throw conflict(`storage domain ${sd.name} already has an image named ${dto.name}`, [
        { field: 'name', reason: 'already used in this storage domain' },
      ]);
    const free = (await this.storage.views(sd.id))
      .filter((v) => v.status === 'active' && v.availableBytes !== null)
      .map((v) => v.availableBytes!);
    if (free.length && dto.sizeBytes > Math.min(...free))
      throw new DomainError(ErrorCode.Unprocessable, `storage domain ${sd.name} has too little free space`, [
        { field: 'sizeBytes', reason: `more than the ${Math.min(...free)} bytes free on the domain` },
      ]);
    const id = randomUUID();
    return this.images.save(
      this.images.create({
        id,
        storageDomainId: sd.id,
        name: dto.name,
        kind: dto.kind,
        format,
        sizeBytes: dto.sizeBytes,
        receivedBytes: 0,
        virtualSizeBytes: null,
        sha256: dto.sha256?.toLowerCase() ?? null,
        status: 'uploading',
        volumeName: `${dto.kind}-${id}.${format === 'qcow2' ? 'qcow2' : format === 'raw' ? 'img' : 'iso'}`,
        path: null,
        hostId: null,
        createdBy: meta.actor,
      }),
    );
  }

  list(sdId: string): Promise<ImageEntity[]> {
    return this.images.find({ where: { storageDomainId: sdId }, order: { name: 'ASC' } });
  }

  async get(sdId: string, imageId: string): Promise<ImageEntity> {
    const image = await this.images.findOneBy({ id: imageId, storageDomainId: sdId });
    if (!image) throw notFound('image', imageId);
    return image;
  }

  /** The path of a ready ISO of a domain of the datacenter, for a VM's CD-ROM. */
  async isoPathFor(isoId: string, datacenterId: string, field: string): Promise<string> {
    const image = await this.images.findOneBy({ id: isoId, kind: 'iso' });
    const sd = image ? await this.sds.find(image.storageDomainId) : null;
    if (!image || !sd || sd.datacenterId !== datacenterId)
      throw validationFailed('no such ISO in a storage domain of the datacenter', [
        { field, reason: `ISO ${isoId} is not in this datacenter's ISO libraries` },
      ]);
    if (image.status !== 'ready' || !image.path)
      throw validationFailed(`ISO ${image.name} is still uploading`, [
        { field, reason: `ISO ${image.name} is ${image.status}` },
      ]);
    return image.path;
  }

  /** Deletes the image and its volume; refused while a VM's CD-ROM holds it. */
  async remove(sdId: string, imageId: string, meta: RequestMeta): Promise<void> {
    const image = await this.get(sdId, imageId);
    if (image.path) {
      const users = await this.vms.withCdrom(image.path);
      if (users.length)
        throw invalidState(
          `ISO ${image.name} is in the CD-ROM of ${users.map((v) => v.name).join(', ')}: eject it first`,
          users.map((v) => ({ reason: 'CD-ROM holds the ISO', ref: refOf(ObjectType.Vm, v) })),
        );
      const sd = await this.sds.byId(sdId);
      const host = await this.hostFor(sd, image);
      await this.guard.send(
        host,
        'image.delete',
        { pool: domainPool(sd), volume: image.volumeName },
        {
          correlationId: meta.correlationId,
        },
      );
    }
    await this.images.delete({ id: image.id });
  }

  /** An Up host with the pools of all these domains active (the VM's host first when it has one). */
  async hostReaching(
    sds: StorageDomainEntity[],
    preferred: string | null,
    what: string,
  ): Promise<HostEntity> {
    const hosts = await this.storage.hostsOf(sds[0]!.datacenterId, [HostStatus.Up]);
    const ok = new Set(hosts.map((h) => h.id));
    for (const sd of sds) {
      const active = new Set(
        (await this.storage.views(sd.id)).filter((v) => v.status === 'active').map((v) => v.hostId),
      );
      for (const id of ok) if (!active.has(id)) ok.delete(id);
    }
    const host = hosts.find((h) => h.id === preferred && ok.has(h.id)) ?? hosts.find((h) => ok.has(h.id));
    if (host) return host;
    throw new DomainError(
      ErrorCode.HostUnavailable,
      `no Up host has both storage domains of ${what} active`,
      [
        ...sds.map((sd) => ({
          reason: 'no host reaches all domains',
          ref: refOf(ObjectType.StorageDomain, sd),
        })),
      ],
    );
  }

  /** A host that reaches the image's volume: the one that received it while Up, otherwise (shared
   * domains: every host sees the same files) any Up host whose pool of the domain is active. */
  async hostFor(sd: StorageDomainEntity, image: Pick<ImageEntity, 'hostId' | 'name'>): Promise<HostEntity> {
    const views = await this.storage.views(sd.id);
    const active = new Set(views.filter((v) => v.status === 'active').map((v) => v.hostId));
    const hosts = await this.storage.hostsOf(sd.datacenterId, [HostStatus.Up]);
    const own = hosts.find((h) => h.id === image.hostId && active.has(h.id));
    if (own) return own;
    const any = sd.type === StorageDomainType.Local ? undefined : hosts.find((h) => active.has(h.id));
    if (any) return any;
    throw new DomainError(
      ErrorCode.HostUnavailable,
      sd.type === StorageDomainType.Local && image.hostId
        ? `the host that holds image ${image.name} of host-local domain ${sd.name} is not up`
        : `no Up host has storage domain ${sd.name} active`,
      [{ reason: 'no host can reach the volume', ref: refOf(ObjectType.StorageDomain, sd) }],
    );
  }
}
