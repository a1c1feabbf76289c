import {
  Cluster,
  Firmware,
  MachineType,
  MigrationPolicy,
  SchedulingPolicy,
  SchedulingThresholds,
  SwitchType,
  values,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import { MigrationPolicyDoc, SchedulingThresholdsDoc } from './cluster.dto';
import type { ClusterEntity } from './cluster.entity';

@ApiSchema({ name: 'Cluster' })
export class ClusterResponse extends InventoryResponse implements Cluster {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  datacenterId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Skylake-Client-IBRS' })
  cpuModel!: string | null;

  @ApiProperty({ enum: values(MachineType), description: 'Machine type of new VMs that do not name one.' })
  defaultMachineType!: MachineType;

  @ApiProperty({ enum: values(Firmware), description: 'Firmware of new VMs that do not name one.' })
  defaultFirmware!: Firmware;

  @ApiProperty({ example: '1' })
  compatibilityLevel!: string;

  @ApiProperty({ enum: values(SchedulingPolicy) })
  schedulingPolicy!: SchedulingPolicy;

  @ApiProperty({ type: MigrationPolicyDoc })
  migrationPolicy!: MigrationPolicy;

  @ApiProperty({
    description:
      'Live migrations between the hosts of the cluster are encrypted (QEMU TLS with the engine-issued host certificates); false: plain TCP.',
  })
  migrationEncrypted!: boolean;

  @ApiProperty({ enum: values(SwitchType), description: 'Linux bridges or Open vSwitch on its hosts.' })
  switchType!: SwitchType;

  @ApiProperty({
    description:
      "Periodic balancing migrates running VMs to bring the cluster within its policy's thresholds.",
  })
  balancingEnabled!: boolean;

  @ApiProperty({ type: SchedulingThresholdsDoc })
  schedulingThresholds!: SchedulingThresholds;
}

export function mapCluster(c: ClusterEntity): ClusterResponse {
  return {
    ...mapInventoryColumns(c),
    id: c.id,
    datacenterId: c.datacenterId,
    cpuModel: c.cpuModel,
    defaultMachineType: c.defaultMachineType,
    defaultFirmware: c.defaultFirmware,
    compatibilityLevel: c.compatibilityLevel,
    schedulingPolicy: c.schedulingPolicy,
    migrationPolicy: c.migrationPolicy,
    migrationEncrypted: c.migrationEncrypted,
    switchType: c.switchType,
    balancingEnabled: c.balancingEnabled,
    schedulingThresholds: c.schedulingThresholds,
  };
}
