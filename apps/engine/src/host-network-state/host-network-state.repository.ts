import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { HostNetworkStateEntity } from './host-network-state.entity';

/** Hosts' last reported networking as other features read it (the scheduler's network filter). */
@Injectable()
export class HostNetworkStateRepository {
  constructor(
    @InjectRepository(HostNetworkStateEntity) private readonly states: Repository<HostNetworkStateEntity>,
  ) {}

  ofHosts(hostIds: string[]): Promise<HostNetworkStateEntity[]> {
    return this.states.findBy({ hostId: In(hostIds) });
  }
}
