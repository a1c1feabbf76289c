import {
  BondSpec,
  HostBond,
  HostBridge,
  HostNic,
  NetworkAttachment,
  NetworkAttachmentSpec,
  NetworkSetupOutcome,
  type HostNetworkPresence,
  type HostNetworkView,
} from '@kelpie/shared-types';
import { ApiProperty } from '@nestjs/swagger';
import { schemaOf, type SchemaObject } from '../common/http/zod-schema';

/** The agent reports NICs, bridges and setup outcomes in the protocol's zod shapes; the API passes
 * them on as they are. */
export class HostNetworkPresenceResponse implements HostNetworkPresence {
  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  bridge!: string;

  @ApiProperty({ enum: Object.values(NetworkAttachment) })
  attachment!: NetworkAttachment;

  @ApiProperty({ description: 'Whether a bridge of that name exists on the host.' })
  present!: boolean;
}

const bridgeWithNetwork: SchemaObject = {
  allOf: [
    schemaOf(HostBridge),
    {
      type: 'object',
      required: ['networkId', 'networkName'],
      properties: {
        networkId: { type: 'string', format: 'uuid', nullable: true },
        networkName: { type: 'string', nullable: true },
      },
    },
  ],
};

/** `GET /hosts/{id}/nics`. */
export class HostNetworkViewResponse implements HostNetworkView {
  @ApiProperty({ format: 'uuid' })
  hostId!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null: the agent has not reported its networking yet.',
  })
  reportedAt!: string | null;

  @ApiProperty({ type: 'array', items: schemaOf(HostNic) })
  nics!: HostNic[];

  @ApiProperty({ type: 'array', items: bridgeWithNetwork })
  bridges!: (HostBridge & { networkId: string | null; networkName: string | null })[];

  @ApiProperty({ type: 'array', items: schemaOf(HostBond), description: 'Bonds as the host has them.' })
  bonds!: HostBond[];

  @ApiProperty({
    type: 'array',
    items: schemaOf(NetworkAttachmentSpec),
    description: 'What the agent applied.',
  })
  attachments!: NetworkAttachmentSpec[];

  @ApiProperty({ type: 'array', items: schemaOf(BondSpec), description: 'The bonds the agent applied.' })
  appliedBonds!: BondSpec[];

  @ApiProperty({ nullable: true, allOf: [schemaOf(NetworkSetupOutcome)] })
  lastSetup!: NetworkSetupOutcome | null;

  @ApiProperty({ type: HostNetworkPresenceResponse, isArray: true })
  clusterNetworks!: HostNetworkPresenceResponse[];

  @ApiProperty({ type: String, isArray: true, description: 'Optional cluster networks the host lacks.' })
  warnings!: string[];
}
