import { DiskFormat, Firmware, MachineType, SwitchType, VmNicSpec } from '@kelpie/shared-types';
import type { VnicProfileEntity } from '../networks/vnic-profile.entity';
import type { VmEntity } from '../vms/vm.entity';
import { bandwidthOf, buildVmSpec, nicSpecOf, volumeDeletionFor } from './vm-spec.builder';

describe("the VM's machine, firmware and boot order in its spec", () => {
  const vm = {
    id: '6a1e7a5c-1f5e-4d3a-9b7e-0c1d2e3f4a5c',
    name: 'v1',
    vcpus: 1,
    memoryMib: 64,
    maxMemoryMib: 64,
    cdromIsoPath: null,
    boot: null,
    graphicsVnc: false,
    bootOrder: ['cdrom', 'hd'],
    machineType: MachineType.Q35,
    firmware: Firmware.Uefi,
    secureBoot: true,
  } as unknown as VmEntity;

  it('carries them to the agent as the records say', () => {
    expect(buildVmSpec(vm, [], [], new Map(), null)).toMatchObject({
      machine: 'q35',
      firmware: { kind: 'uefi', secureBoot: true },
      bootOrder: ['cdrom', 'hd'],
    });
    const bios = {
      ...vm,
      machineType: MachineType.Pc,
      firmware: Firmware.Bios,
      secureBoot: false,
    } as VmEntity;
    expect(buildVmSpec(bios, [], [], new Map(), null)).toMatchObject({
      machine: 'pc',
      firmware: { kind: 'bios' },
    });
  });
});

describe('what deleting a disk asks the host to remove', () => {
  const disk = { id: 'd1', format: DiskFormat.Qcow2, volumePath: '/srv/sd/d1.qcow2' };

  it('the volume alone when the disk writes to it', () => {
    expect(volumeDeletionFor({ ...disk, activeImagePath: null })).toEqual({ name: 'd1.qcow2' });
  });

  it('the chain from the overlay it writes to, when its snapshots stacked overlays next to it', () => {
    expect(volumeDeletionFor({ ...disk, activeImagePath: '/srv/sd/d1.s3' })).toEqual({
      name: 'd1.qcow2',
      top: 'd1.s3',
    });
  });

  it('never an image in another directory', () => {
    expect(volumeDeletionFor({ ...disk, activeImagePath: '/elsewhere/d1.s3' })).toEqual({ name: 'd1.qcow2' });
  });
});

const nic = {
  id: '6a1e7a5c-1f5e-4d3a-9b7e-0c1d2e3f4a5b',
  mac: '52:54:00:12:34:56',
  model: 'virtio' as const,
};

describe('nicSpecOf', () => {
  it('plugs a NIC of an OVS cluster into Open vSwitch on its network VLAN', () => {
    const spec = nicSpecOf(nic, { bridge: 'vmnet10', vlanId: 10 }, SwitchType.Ovs);
    expect(VmNicSpec.parse(spec)).toEqual({ ...nic, bridge: 'vmnet10', openvswitch: { vlanId: 10 } });
    expect(nicSpecOf(nic, { bridge: 'vmplain', vlanId: null }, SwitchType.Ovs).openvswitch).toEqual({
      vlanId: null,
    });
  });

  it('leaves a Linux-bridge NIC as it was (the bridge already is the VLAN)', () => {
    expect(nicSpecOf(nic, { bridge: 'br-v10', vlanId: 10 }, SwitchType.LinuxBridge)).toEqual({
      ...nic,
      bridge: 'br-v10',
    });
  });

  it('marks a NIC on a port-mirroring profile: in OVS, or top level on a Linux bridge', () => {
    const none = { AverageKibps: null, PeakKibps: null, BurstKib: null };
    const qos = Object.fromEntries(
      ['inbound', 'outbound'].flatMap((d) => Object.entries(none).map(([k, v]) => [d + k, v])),
    );
    const spy = { ...qos, portMirroring: true } as unknown as VnicProfileEntity;
    expect(
      VmNicSpec.parse(nicSpecOf(nic, { bridge: 'br0', vlanId: null }, SwitchType.LinuxBridge, spy)),
    ).toEqual({ ...nic, bridge: 'br0', portMirroring: true });
    expect(nicSpecOf(nic, { bridge: 'vmnet10', vlanId: 10 }, SwitchType.Ovs, spy)).toEqual({
      ...nic,
      bridge: 'vmnet10',
      openvswitch: { vlanId: 10, portMirroring: true },
    });
  });

  it("shapes a NIC with its profile's QoS (only the directions and values set) and keeps a downed link", () => {
    const profile = {
      inboundAverageKibps: 1000,
      inboundPeakKibps: 2000,
      inboundBurstKib: null,
      outboundAverageKibps: null,
      outboundPeakKibps: null,
      outboundBurstKib: null,
    } as VnicProfileEntity;
    const spec = nicSpecOf(
      { ...nic, linkUp: false },
      { bridge: 'br0', vlanId: null },
      SwitchType.LinuxBridge,
      profile,
    );
    expect(VmNicSpec.parse(spec)).toEqual({
      ...nic,
      bridge: 'br0',
      bandwidth: { inbound: { average: 1000, peak: 2000 } },
      linkUp: false,
    });
    const unlimited = { ...profile, inboundAverageKibps: null, inboundPeakKibps: null } as VnicProfileEntity;
    expect(bandwidthOf(unlimited)).toBeUndefined();
    expect(
      nicSpecOf({ ...nic, linkUp: true }, { bridge: 'br0', vlanId: null }, SwitchType.LinuxBridge, unlimited),
    ).toEqual({
      ...nic,
      bridge: 'br0',
    });
  });
});
