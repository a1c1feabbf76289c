import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateStorageDomainDto, StorageDomainListQuery, UpdateStorageDomainDto } from './storage-domain.dto';
import { StorageDomainEntity } from './storage-domain.entity';
import { mapStorageDomain, StorageDomainResponse } from './storage-domain.response';
import { StorageDomainsService } from './storage-domains.service';

@ApiTags('storage-domains')
@Controller('storage-domains')
export class StorageDomainsController extends CrudController({
  entity: StorageDomainEntity,
  response: { type: StorageDomainResponse, map: mapStorageDomain },
  create: CreateStorageDomainDto,
  update: UpdateStorageDomainDto,
  list: StorageDomainListQuery,
  access: {
    type: 'storage_domain',
    manage: Permission.StorageManage,
    createOn: on.body('datacenter', 'datacenterId'),
  },
}) {
  constructor(readonly svc: StorageDomainsService) {
    super();
  }
}
