import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inventory (datacenters → clusters → hosts; storage domains, logical networks; VMs
 * with disks, NICs and snapshots), tasks and the audit log.
 *
 * Conventions: snake_case, uuid ids chosen by the engine, constraint names pk_/fk_/uq_/ck_/ix_
 * (the API maps them to fields), enums as varchar + CHECK (adding a value = a new migration that
 * replaces the CHECK, no ALTER TYPE), RESTRICT on every parent → child FK except parts that live
 * and die with their owner (NICs, snapshots, cluster ↔ network attachments: CASCADE).
 * `node apps/engine/dist/tools/schema-check.js` proves the entities agree with this file.
 */
export class Inventory1767225600000 implements MigrationInterface {
  name = 'Inventory1767225600000';

  async up(q: QueryRunner): Promise<void> {
    const NAME = `~ '^[A-Za-z0-9_.-]{1,64}$'`;
    const VM_STATUS = `('down', 'starting', 'up', 'paused', 'powering_down', 'reboot_in_progress', 'migrating_from', 'migrating_to', 'suspended', 'crashed', 'unknown')`;
    const common = `
      "name" character varying(64) NOT NULL,
      "description" character varying(1024) NOT NULL DEFAULT '',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "id" uuid NOT NULL`;

    await q.query(`CREATE TABLE "datacenter" (${common},
      CONSTRAINT "pk_datacenter" PRIMARY KEY ("id"),
      CONSTRAINT "uq_datacenter_name" UNIQUE ("name"),
      CONSTRAINT "ck_datacenter_name" CHECK ("name" ${NAME}))`);
    await q.query(`CREATE INDEX "ix_datacenter_created_at" ON "datacenter" ("created_at")`);

    await q.query(`CREATE TABLE "cluster" (${common},
      "datacenter_id" uuid NOT NULL,
      "cpu_model" character varying(64),
      "compatibility_level" character varying(16) NOT NULL DEFAULT '1',
      "scheduling_policy" character varying(32) NOT NULL DEFAULT 'evenly_distributed',
      "migration_policy" jsonb NOT NULL,
      CONSTRAINT "pk_cluster" PRIMARY KEY ("id"),
      CONSTRAINT "uq_cluster_datacenter_name" UNIQUE ("datacenter_id", "name"),
      CONSTRAINT "ck_cluster_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_cluster_scheduling_policy" CHECK ("scheduling_policy" IN ('evenly_distributed', 'power_saving', 'none')),
      CONSTRAINT "fk_cluster_datacenter" FOREIGN KEY ("datacenter_id") REFERENCES "datacenter"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_cluster_name" ON "cluster" ("name")`);
    await q.query(`CREATE INDEX "ix_cluster_created_at" ON "cluster" ("created_at")`);

    await q.query(`CREATE TABLE "host" (${common},
      "cluster_id" uuid NOT NULL,
      "address" character varying(255) NOT NULL,
      "libvirt_uri" character varying(512) NOT NULL,
      "status" character varying(32) NOT NULL DEFAULT 'installing',
      "status_reason" text,
      "capabilities" jsonb,
      "last_heartbeat_at" TIMESTAMP WITH TIME ZONE,
      "load" jsonb,
      "agent_protocol_version" integer,
      CONSTRAINT "pk_host" PRIMARY KEY ("id"),
      CONSTRAINT "uq_host_name" UNIQUE ("name"),
      CONSTRAINT "uq_host_address" UNIQUE ("address"),
      CONSTRAINT "ck_host_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_host_status" CHECK ("status" IN ('installing', 'up', 'non_responsive', 'preparing_for_maintenance', 'maintenance', 'error')),
      CONSTRAINT "fk_host_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_host_cluster" ON "host" ("cluster_id")`);
    await q.query(`CREATE INDEX "ix_host_status" ON "host" ("status")`);
    await q.query(`CREATE INDEX "ix_host_last_heartbeat_at" ON "host" ("last_heartbeat_at")`);
    await q.query(`CREATE INDEX "ix_host_created_at" ON "host" ("created_at")`);

    await q.query(`CREATE TABLE "storage_domain" (${common},
      "datacenter_id" uuid NOT NULL,
      "type" character varying(16) NOT NULL,
      "connection" jsonb NOT NULL DEFAULT '{}',
      "path" character varying(1024) NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'unknown',
      CONSTRAINT "pk_storage_domain" PRIMARY KEY ("id"),
      CONSTRAINT "uq_storage_domain_datacenter_name" UNIQUE ("datacenter_id", "name"),
      CONSTRAINT "ck_storage_domain_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_storage_domain_type" CHECK ("type" IN ('dir', 'nfs', 'iscsi', 'rbd', 'lvm')),
      CONSTRAINT "ck_storage_domain_status" CHECK ("status" IN ('active', 'inactive', 'unknown')),
      CONSTRAINT "fk_storage_domain_datacenter" FOREIGN KEY ("datacenter_id") REFERENCES "datacenter"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_storage_domain_name" ON "storage_domain" ("name")`);
    await q.query(`CREATE INDEX "ix_storage_domain_type" ON "storage_domain" ("type")`);
    await q.query(`CREATE INDEX "ix_storage_domain_status" ON "storage_domain" ("status")`);
    await q.query(`CREATE INDEX "ix_storage_domain_created_at" ON "storage_domain" ("created_at")`);

    await q.query(`CREATE TABLE "logical_network" (${common},
      "datacenter_id" uuid NOT NULL,
      "bridge" character varying(15) NOT NULL,
      "vlan_id" integer,
      "mtu" integer NOT NULL DEFAULT '1500',
      "vm_network" boolean NOT NULL DEFAULT true,
      CONSTRAINT "pk_logical_network" PRIMARY KEY ("id"),
      CONSTRAINT "uq_logical_network_datacenter_name" UNIQUE ("datacenter_id", "name"),
      CONSTRAINT "uq_logical_network_datacenter_bridge" UNIQUE ("datacenter_id", "bridge"),
      CONSTRAINT "ck_logical_network_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_logical_network_bridge" CHECK ("bridge" ~ '^[A-Za-z0-9_.-]{1,15}$'),
      CONSTRAINT "ck_logical_network_vlan" CHECK ("vlan_id" IS NULL OR "vlan_id" BETWEEN 1 AND 4094),
      CONSTRAINT "ck_logical_network_mtu" CHECK ("mtu" BETWEEN 68 AND 65535),
      CONSTRAINT "fk_logical_network_datacenter" FOREIGN KEY ("datacenter_id") REFERENCES "datacenter"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_logical_network_name" ON "logical_network" ("name")`);
    await q.query(`CREATE INDEX "ix_logical_network_created_at" ON "logical_network" ("created_at")`);

    await q.query(`CREATE TABLE "cluster_network" (
      "cluster_id" uuid NOT NULL,
      "network_id" uuid NOT NULL,
      "attachment" character varying(16) NOT NULL DEFAULT 'required',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_cluster_network" PRIMARY KEY ("cluster_id", "network_id"),
      CONSTRAINT "ck_cluster_network_attachment" CHECK ("attachment" IN ('required', 'optional')),
      CONSTRAINT "fk_cluster_network_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_cluster_network_network" FOREIGN KEY ("network_id") REFERENCES "logical_network"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_cluster_network_network" ON "cluster_network" ("network_id")`);

    await q.query(`CREATE TABLE "vm" (${common},
      "datacenter_id" uuid NOT NULL,
      "cluster_id" uuid NOT NULL,
      "host_id" uuid,
      "desired_status" character varying(32) NOT NULL DEFAULT 'down',
      "status" character varying(32) NOT NULL DEFAULT 'down',
      "status_reason" text,
      "vcpus" integer NOT NULL,
      "memory_mib" integer NOT NULL,
      "max_memory_mib" integer NOT NULL,
      "os_type" character varying(32) NOT NULL DEFAULT 'other',
      "boot_order" jsonb NOT NULL DEFAULT '["hd"]',
      "graphics_vnc" boolean NOT NULL DEFAULT true,
      "is_template" boolean NOT NULL DEFAULT false,
      "source_template_id" uuid,
      "highly_available" boolean NOT NULL DEFAULT false,
      "created_by" character varying(64) NOT NULL,
      "external" boolean NOT NULL DEFAULT false,
      "pending_restart" jsonb,
      CONSTRAINT "pk_vm" PRIMARY KEY ("id"),
      CONSTRAINT "uq_vm_datacenter_name" UNIQUE ("datacenter_id", "name"),
      CONSTRAINT "ck_vm_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_vm_status" CHECK ("status" IN ${VM_STATUS}),
      CONSTRAINT "ck_vm_desired_status" CHECK ("desired_status" IN ${VM_STATUS}),
      CONSTRAINT "ck_vm_vcpus" CHECK ("vcpus" BETWEEN 1 AND 512),
      CONSTRAINT "ck_vm_memory" CHECK ("memory_mib" BETWEEN 16 AND 4194304),
      CONSTRAINT "ck_vm_max_memory" CHECK ("max_memory_mib" BETWEEN "memory_mib" AND 4194304),
      CONSTRAINT "fk_vm_datacenter" FOREIGN KEY ("datacenter_id") REFERENCES "datacenter"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
      CONSTRAINT "fk_vm_cluster" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
      CONSTRAINT "fk_vm_host" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
      CONSTRAINT "fk_vm_source_template" FOREIGN KEY ("source_template_id") REFERENCES "vm"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_vm_name" ON "vm" ("name")`);
    await q.query(`CREATE INDEX "ix_vm_cluster" ON "vm" ("cluster_id")`);
    await q.query(`CREATE INDEX "ix_vm_host" ON "vm" ("host_id")`);
    await q.query(`CREATE INDEX "ix_vm_status" ON "vm" ("status")`);
    await q.query(`CREATE INDEX "ix_vm_source_template" ON "vm" ("source_template_id")`);
    await q.query(`CREATE INDEX "ix_vm_created_at" ON "vm" ("created_at")`);

    await q.query(`CREATE TABLE "disk" (${common},
      "storage_domain_id" uuid NOT NULL,
      "volume_path" character varying(1024) NOT NULL,
      "format" character varying(8) NOT NULL,
      "virtual_size_bytes" bigint NOT NULL,
      "allocation_bytes" bigint NOT NULL DEFAULT '0',
      "bus" character varying(8) NOT NULL DEFAULT 'virtio',
      "cache" character varying(16) NOT NULL DEFAULT 'none',
      "bootable" boolean NOT NULL DEFAULT false,
      "vm_id" uuid,
      "target_dev" character varying(8),
      CONSTRAINT "pk_disk" PRIMARY KEY ("id"),
      CONSTRAINT "uq_disk_storage_domain_volume_path" UNIQUE ("storage_domain_id", "volume_path"),
      CONSTRAINT "uq_disk_vm_target_dev" UNIQUE ("vm_id", "target_dev"),
      CONSTRAINT "ck_disk_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_disk_format" CHECK ("format" IN ('qcow2', 'raw')),
      CONSTRAINT "ck_disk_bus" CHECK ("bus" IN ('virtio', 'sata', 'scsi', 'ide')),
      CONSTRAINT "ck_disk_cache" CHECK ("cache" IN ('none', 'writethrough', 'writeback', 'directsync', 'unsafe')),
      CONSTRAINT "ck_disk_virtual_size" CHECK ("virtual_size_bytes" BETWEEN 1048576 AND 70368744177664),
      CONSTRAINT "ck_disk_allocation" CHECK ("allocation_bytes" >= 0),
      CONSTRAINT "ck_disk_target_dev" CHECK ("target_dev" IS NULL OR "target_dev" ~ '^(vd|sd|hd)[a-z]{1,2}$'),
      CONSTRAINT "fk_disk_storage_domain" FOREIGN KEY ("storage_domain_id") REFERENCES "storage_domain"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
      CONSTRAINT "fk_disk_vm" FOREIGN KEY ("vm_id") REFERENCES "vm"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_disk_name" ON "disk" ("name")`);
    await q.query(`CREATE INDEX "ix_disk_virtual_size" ON "disk" ("virtual_size_bytes")`);
    await q.query(`CREATE INDEX "ix_disk_created_at" ON "disk" ("created_at")`);

    await q.query(`CREATE TABLE "nic" (${common},
      "vm_id" uuid NOT NULL,
      "network_id" uuid NOT NULL,
      "mac" character varying(17) NOT NULL,
      "model" character varying(16) NOT NULL DEFAULT 'virtio',
      CONSTRAINT "pk_nic" PRIMARY KEY ("id"),
      CONSTRAINT "uq_nic_mac" UNIQUE ("mac"),
      CONSTRAINT "uq_nic_vm_name" UNIQUE ("vm_id", "name"),
      CONSTRAINT "ck_nic_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_nic_model" CHECK ("model" IN ('virtio', 'e1000', 'rtl8139')),
      CONSTRAINT "ck_nic_mac" CHECK ("mac" ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'),
      CONSTRAINT "fk_nic_vm" FOREIGN KEY ("vm_id") REFERENCES "vm"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_nic_network" FOREIGN KEY ("network_id") REFERENCES "logical_network"("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_nic_network" ON "nic" ("network_id")`);
    await q.query(`CREATE INDEX "ix_nic_name" ON "nic" ("name")`);
    await q.query(`CREATE INDEX "ix_nic_created_at" ON "nic" ("created_at")`);

    // parent: NO ACTION (checked at statement end) so deleting a VM can cascade through a whole tree.
    await q.query(`CREATE TABLE "snapshot" (
      "id" uuid NOT NULL,
      "vm_id" uuid NOT NULL,
      "parent_id" uuid,
      "name" character varying(64) NOT NULL,
      "description" character varying(1024) NOT NULL DEFAULT '',
      "type" character varying(16) NOT NULL,
      "with_memory" boolean NOT NULL DEFAULT false,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_snapshot" PRIMARY KEY ("id"),
      CONSTRAINT "ck_snapshot_name" CHECK ("name" ${NAME}),
      CONSTRAINT "ck_snapshot_type" CHECK ("type" IN ('internal', 'external')),
      CONSTRAINT "fk_snapshot_vm" FOREIGN KEY ("vm_id") REFERENCES "vm"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
      CONSTRAINT "fk_snapshot_parent" FOREIGN KEY ("parent_id") REFERENCES "snapshot"("id") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await q.query(`CREATE INDEX "ix_snapshot_vm" ON "snapshot" ("vm_id")`);
    await q.query(`CREATE INDEX "ix_snapshot_parent" ON "snapshot" ("parent_id")`);
    await q.query(`CREATE INDEX "ix_snapshot_name" ON "snapshot" ("name")`);
    await q.query(`CREATE INDEX "ix_snapshot_created_at" ON "snapshot" ("created_at")`);

    // target / owner_engine: not foreign keys on purpose; tasks and events outlive their objects.
    await q.query(`CREATE TABLE "task" (
      "id" uuid NOT NULL,
      "type" character varying(64) NOT NULL,
      "target" jsonb,
      "target_type" character varying(32),
      "target_id" uuid,
      "status" character varying(16) NOT NULL,
      "progress" smallint NOT NULL DEFAULT '0',
      "progress_message" text,
      "steps" jsonb NOT NULL DEFAULT '[]',
      "result" jsonb,
      "error_code" character varying(32),
      "error_message" text,
      "requested_by" character varying(64) NOT NULL,
      "correlation_id" character varying(64),
      "owner_engine" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "started_at" TIMESTAMP WITH TIME ZONE,
      "finished_at" TIMESTAMP WITH TIME ZONE,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_task" PRIMARY KEY ("id"),
      CONSTRAINT "ck_task_status" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
      CONSTRAINT "ck_task_progress" CHECK ("progress" BETWEEN 0 AND 100))`);
    await q.query(`CREATE INDEX "ix_task_status" ON "task" ("status")`);
    await q.query(`CREATE INDEX "ix_task_created_at" ON "task" ("created_at")`);
    await q.query(`CREATE INDEX "ix_task_finished_at" ON "task" ("finished_at")`);
    await q.query(`CREATE INDEX "ix_task_type" ON "task" ("type")`);
    await q.query(`CREATE INDEX "ix_task_target" ON "task" ("target_type", "target_id")`);
    await q.query(`CREATE INDEX "ix_task_correlation" ON "task" ("correlation_id")`);

    await q.query(`CREATE TABLE "event" (
      "id" uuid NOT NULL,
      "time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "severity" character varying(16) NOT NULL,
      "type" character varying(64) NOT NULL,
      "message" text NOT NULL,
      "refs" jsonb NOT NULL DEFAULT '[]',
      "correlation_id" character varying(64),
      "object_type" character varying(32),
      "object_id" uuid,
      CONSTRAINT "pk_event" PRIMARY KEY ("id"),
      CONSTRAINT "ck_event_severity" CHECK ("severity" IN ('info', 'warning', 'error')))`);
    await q.query(`CREATE INDEX "ix_event_time" ON "event" ("time")`);
    await q.query(`CREATE INDEX "ix_event_object" ON "event" ("object_type", "object_id")`);
    await q.query(`CREATE INDEX "ix_event_type" ON "event" ("type")`);
    await q.query(`CREATE INDEX "ix_event_severity" ON "event" ("severity")`);
    await q.query(`CREATE INDEX "ix_event_correlation" ON "event" ("correlation_id")`);
    // "events of this object" (refs @> '[{"id": …}]'); declared synchronize:false in the entity.
    await q.query(`CREATE INDEX "ix_event_refs" ON "event" USING gin ("refs" jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'event',
      'task',
      'snapshot',
      'nic',
      'disk',
      'vm',
      'cluster_network',
      'logical_network',
      'storage_domain',
      'host',
      'cluster',
      'datacenter',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
