import { Host, HostCapabilities, HostLoad, HostStatus, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { isoOrNull } from '../common/http/iso-or-null';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import type { HostEntity } from './host.entity';

@ApiSchema({ name: 'Host' })
export class HostResponse extends InventoryResponse implements Host {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  clusterId!: string;

  @ApiProperty({ example: '192.0.2.10' })
  address!: string;

  @ApiProperty({ example: 'qemu+ssh://root@192.0.2.10/system' })
  libvirtUri!: string;

  @ApiProperty({ enum: values(HostStatus) })
  status!: HostStatus;

  @ApiProperty({ type: String, nullable: true })
  statusReason!: string | null;

  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'As reported by the agent (protocol HostCapabilities).',
  })
  capabilities!: HostCapabilities | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastHeartbeatAt!: string | null;

  @ApiProperty({ type: Object, nullable: true })
  load!: HostLoad | null;

  @ApiProperty({ type: Number, nullable: true })
  agentProtocolVersion!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'SSH port enrollment used (null: registered without SSH).',
  })
  sshPort!: number | null;

  @ApiProperty({ type: String, nullable: true })
  sshUser!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The pinned SSH host key (`<type> <base64>`): later connections refuse any other key.',
  })
  sshHostKey!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  })
  sshHostKeyFingerprint!: string | null;
}

export function mapHost(e: HostEntity): HostResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    clusterId: e.clusterId,
    address: e.address,
    libvirtUri: e.libvirtUri,
    status: e.status,
    statusReason: e.statusReason,
    capabilities: e.capabilities,
    lastHeartbeatAt: isoOrNull(e.lastHeartbeatAt),
    load: e.load,
    agentProtocolVersion: e.agentProtocolVersion,
    sshPort: e.sshPort,
    sshUser: e.sshUser,
    sshHostKey: e.sshHostKey,
    sshHostKeyFingerprint: e.sshHostKeyFingerprint,
  };
}
