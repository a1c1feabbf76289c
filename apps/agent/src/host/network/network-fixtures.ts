import type { NetworkAttachmentSpec } from '@kelpie/shared-types';
import type { Link } from './links';

/** A link as `ip -j -d addr show` would give it: up, with carrier, no master, MTU 1500 (unit tests). */
export const linkFixture = (name: string, o: Partial<Link> = {}): Link => ({
  name,
  kind: null,
  master: null,
  mtu: 1500,
  mac: '52:54:00:00:00:01',
  up: true,
  carrier: true,
  operstate: 'up',
  vlan: null,
  addresses: [],
  ...o,
});

/** An untagged network on eth1 with MTU 1500 (unit tests). */
export const attachmentFixture = (o: Partial<NetworkAttachmentSpec>): NetworkAttachmentSpec => ({
  network: 'n',
  bridge: 'br-n',
  nic: 'eth1',
  switchType: 'linux_bridge',
  vlanId: null,
  mtu: 1500,
  ...o,
});
