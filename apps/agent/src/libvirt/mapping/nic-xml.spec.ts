import { ovsInterfaceIdOf } from './nic-xml';

const domain = `<domain type='qemu'><devices>
  <interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/></interface>
  <interface type='bridge'><mac address='52:54:00:00:00:02'/><source bridge='vmblue'/>
    <virtualport type='openvswitch'><parameters interfaceid='0b7f2c3e-1111-4222-8333-444455556666'/></virtualport>
  </interface>
</devices></domain>`;

describe('ovsInterfaceIdOf', () => {
  it('finds the OVS port id of the NIC with the MAC, none for a Linux-bridge NIC or an unknown MAC', () => {
    expect(ovsInterfaceIdOf(domain, '52:54:00:00:00:02')).toBe('0b7f2c3e-1111-4222-8333-444455556666');
    expect(ovsInterfaceIdOf(domain, '52:54:00:00:00:01')).toBeUndefined();
    expect(ovsInterfaceIdOf(domain, '52:54:00:00:00:09')).toBeUndefined();
  });
});
