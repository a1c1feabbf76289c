import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateStorageDomainDto, StorageDomainListQuery, UpdateStorageDomainDto } from './storage-domain.dto';
import { StorageDomainEntity } from './storage-domain.entity';
import { StorageDomainsService } from './storage-domains.service';

@ApiTags('storage-domains')
@Controller('storage-domains')
export class StorageDomainsController extends CrudController({
  entity: StorageDomainEntity,
  create: CreateStorageDomainDto,
  update: UpdateStorageDomainDto,
  list: StorageDomainListQuery,
}) {
  constructor(readonly svc: StorageDomainsService) {
    super();
  }
}
