import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { VmEntity } from './vm.entity';

/** One listed domain, as compared with the stored VMs. */
export interface ListedDomain {
  id: string;
  status: string;
  reason: string | null;
  port: number | null;
  vcpus: number;
  memoryMib: number;
  maxMemoryMib: number;
}

export interface ListingDifference {
  id: string;
  kind: 'changed' | 'new';
  may_migrate: boolean;
}

/** The vm table's statements beyond plain entity reads and writes (the agents' inventory sync
 * compares host listings with the stored VMs through them). */
@Injectable()
export class VmRepository {
  constructor(@InjectRepository(VmEntity) private readonly vms: Repository<VmEntity>) {}

  /**
   * Compares a host's listing with the stored VMs in one statement: `changed` for VMs the listing
   * would change (state, reason, console port, owner, hardware of external VMs), VMs the host owns
   * that it no longer lists, and VMs with a running migration row (`may_migrate`); `new` for listed
   * domains with no VM.
   */
  listingDifferences(hostId: string, listed: ListedDomain[]): Promise<ListingDifference[]> {
    return this.vms.query(
      `WITH r AS (
         SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
           AS r(id, status, reason, port, vcpus, mem, max_mem)
       ), v AS (
         SELECT v.*, EXISTS (SELECT 1 FROM vm_migration m WHERE m.vm_id = v.id AND m.status = 'running') AS may_migrate
           FROM vm v WHERE v.host_id = $1 OR v.id = ANY($2::uuid[])
       )
       SELECT v.id, 'changed' AS kind, v.may_migrate FROM v LEFT JOIN r ON r.id = v.id
        WHERE r.id IS NULL OR v.may_migrate OR v.host_id IS DISTINCT FROM $1
           OR v.status <> r.status OR v.status_reason IS DISTINCT FROM r.reason
           OR v.graphics_port IS DISTINCT FROM r.port
           OR (v.external AND (v.vcpus <> r.vcpus OR v.memory_mib <> r.mem OR v.max_memory_mib <> r.max_mem))
       UNION ALL
       SELECT r.id, 'new', false FROM r WHERE NOT EXISTS (SELECT 1 FROM vm WHERE vm.id = r.id)`,
      [
        hostId,
        listed.map((d) => d.id),
        listed.map((d) => d.status),
        listed.map((d) => d.reason),
        listed.map((d) => d.port),
        listed.map((d) => d.vcpus),
        listed.map((d) => d.memoryMib),
        listed.map((d) => d.maxMemoryMib),
      ],
    );
  }

  /** Which of `names` VMs of the datacenter already use. */
  async takenNames(datacenterId: string, names: string[]): Promise<Set<string>> {
    const rows: { name: string }[] = await this.vms.query(
      `SELECT name FROM vm WHERE datacenter_id = $1 AND name = ANY($2::text[])`,
      [datacenterId, names],
    );
    return new Set(rows.map((r) => r.name));
  }
}
