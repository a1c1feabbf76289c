import { z } from 'zod';

/** Limits of a vNIC's QoS (libvirt takes 32-bit KiB/s rates; 100 Gbit/s ≈ 12 207 031 KiB/s). */
export const NIC_RATE_MAX_KIBPS = 16_777_216;
export const NIC_BURST_MAX_KIB = 1_048_576;

/**
 * The typed description of a Kelpie VM that the engine sends and the agent turns into libvirt domain
 * XML (with xmlbuilder2, never string templates). Every string that reaches the XML is constrained
 * here, so a spec that parses can only produce a well-formed domain.
 */

/** An absolute path without control characters, `..` segments or XML-special characters. */
export const SafePath = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[A-Za-z0-9_.,+=@%:/-]*$/, 'must be an absolute path of [A-Za-z0-9_.,+=@%:/-]')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments');

/** Names Kelpie gives objects (VMs, pools, volumes). */
export const SafeName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
export const MacAddress = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
export const BridgeName = z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/);
export const TargetDev = z.string().regex(/^(vd|sd|hd)[a-z]{1,2}$/);

/** A Ceph RBD image the VM opens over the network (libvirt cannot use an rbd pool's volume as a
 * `volume` disk): the monitors, `pool/image`, and the cephx user whose key is the host's libvirt
 * secret `secretUuid` (defined when the storage domain was activated there). */
export const RbdDiskSource = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}\/[A-Za-z0-9_.-]{1,128}$/, 'must be pool/image'),
  monitors: z
    .array(
      z.strictObject({
        host: z.string().regex(/^[A-Za-z0-9.-]{1,253}$|^[0-9A-Fa-f:.]{2,45}$/),
        port: z.number().int().min(1).max(65535),
      }),
    )
    .min(1)
    .max(16),
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  secretUuid: z.guid(),
});
export type RbdDiskSource = z.infer<typeof RbdDiskSource>;

/** A volume of a host's storage pool, opened as libvirt resolves it (an iSCSI LUN of an
 * iscsi-direct pool: `unit:0:0:N`). */
export const PoolVolumeSource = z.strictObject({
  pool: SafeName,
  volume: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
});
export type PoolVolumeSource = z.infer<typeof PoolVolumeSource>;

/** One of `path` (a file), `rbd` or `volume` says where the disk's data is. */
export const VmDiskSpec = z
  .strictObject({
    /** The engine's disk id (written into the device's `<serial>`, so the guest sees it too). */
    id: z.guid(),
    path: SafePath.optional(),
    rbd: RbdDiskSource.optional(),
    volume: PoolVolumeSource.optional(),
    format: z.enum(['qcow2', 'raw']),
    bus: z.enum(['virtio', 'sata', 'scsi', 'ide']),
    cache: z.enum(['none', 'writethrough', 'writeback', 'directsync', 'unsafe']).default('none'),
    targetDev: TargetDev,
    /** Boot order (1 = first) when the VM boots from disk. */
    bootOrder: z.number().int().min(1).max(64).optional(),
  })
  .refine((d) => [d.path, d.rbd, d.volume].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of path, rbd and volume',
  });
export type VmDiskSpec = z.infer<typeof VmDiskSpec>;

/** One direction of libvirt `<bandwidth>`: average (and peak) in KiB/s, burst in KiB. */
export const NicBandwidthLimit = z.strictObject({
  average: z.number().int().min(1).max(NIC_RATE_MAX_KIBPS),
  peak: z.number().int().min(1).max(NIC_RATE_MAX_KIBPS).optional(),
  burst: z.number().int().min(1).max(NIC_BURST_MAX_KIB).optional(),
});
export type NicBandwidthLimit = z.infer<typeof NicBandwidthLimit>;

/** libvirt `<bandwidth>` of a NIC: per direction, absent means unlimited. */
export const NicBandwidth = z.strictObject({
  inbound: NicBandwidthLimit.optional(),
  outbound: NicBandwidthLimit.optional(),
});
export type NicBandwidth = z.infer<typeof NicBandwidth>;

/** The OVS port profile (libvirt `<virtualport><parameters profileid=…/>`, which libvirt writes into
 * the OVS interface's `external_ids:port-profile`) of a VM NIC its host mirrors the network to. */
export const OVS_PORT_MIRRORING_PROFILE = 'kelpie-port-mirroring';

/** On a Linux bridge the mark is the tap's name (libvirt `<target dev=…/>`): this prefix and the
 * first 11 hex digits of the NIC id (15 characters, the kernel's limit). It travels with the domain
 * (migrations, agent restarts) and the host's mirror reconciler sees it in `ip link`. */
export const BRIDGE_MIRROR_TAP_PREFIX = 'kmir';
export const bridgeMirrorTap = (nicId: string): string =>
  BRIDGE_MIRROR_TAP_PREFIX + nicId.replace(/-/g, '').slice(0, 11).toLowerCase();

export const VmNicSpec = z.strictObject({
  id: z.guid(),
  mac: MacAddress,
  /** Bridge on the host the logical network maps to (a Linux bridge or an OVS fake bridge). */
  bridge: BridgeName,
  model: z.enum(['virtio', 'e1000', 'rtl8139']),
  /** On an Open vSwitch network: libvirt plugs the tap into OVS (`<virtualport type='openvswitch'/>`),
   * as an access port of the network's VLAN when it has one. */
  openvswitch: z
    .strictObject({
      vlanId: z.number().int().min(1).max(4094).nullable(),
      /** The host copies the network's traffic to this NIC (an OVS mirror with its port as output). */
      portMirroring: z.boolean().optional(),
    })
    .optional(),
  /** On a Linux bridge network (no `openvswitch`): the host copies the bridge's traffic to this NIC
   * (tc mirred filters on the bridge's other ports; its tap is named {@link bridgeMirrorTap}). */
  portMirroring: z.boolean().optional(),
  /** libvirt `<bandwidth>`: KiB/s rates and KiB bursts per direction (absent: unlimited). */
  bandwidth: NicBandwidth.optional(),
  /** false: the guest's link is down (`<link state='down'/>`). */
  linkUp: z.boolean().optional(),
});
export type VmNicSpec = z.infer<typeof VmNicSpec>;

/** The CD-ROM drive every Kelpie VM has (IDE `hdc`); `isoPath` null = empty drive. */
export const VmCdromSpec = z.strictObject({
  targetDev: TargetDev.default('hdc'),
  isoPath: SafePath.nullable(),
});
export type VmCdromSpec = z.infer<typeof VmCdromSpec>;

export const VmBootSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('disk') }),
  z.strictObject({ kind: z.literal('cdrom') }),
  z.strictObject({
    kind: z.literal('kernel'),
    kernel: SafePath,
    initrd: SafePath.optional(),
    /** Kernel command line: printable ASCII without XML-special characters. */
    cmdline: z
      .string()
      .max(2048)
      .regex(/^[\x20-\x7e]*$/, 'printable ASCII only')
      .refine((s) => !/[<>&]/.test(s), 'must not contain <, > or &')
      .optional(),
  }),
]);
export type VmBootSpec = z.infer<typeof VmBootSpec>;

export const VmCpuSpec = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('custom'), model: SafeName }),
  z.strictObject({ mode: z.literal('host-model') }),
  z.strictObject({ mode: z.literal('host-passthrough') }),
]);
export type VmCpuSpec = z.infer<typeof VmCpuSpec>;

/** The firmware the guest boots with. UEFI is OVMF as libvirt's firmware autoselection finds it
 * (Debian's `ovmf` descriptors); its variables live in a per-VM NVRAM file on the host. */
export const VmFirmwareSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bios') }),
  z.strictObject({ kind: z.literal('uefi'), secureBoot: z.boolean().default(false) }),
]);
export type VmFirmwareSpec = z.infer<typeof VmFirmwareSpec>;

/** A watchdog device the guest's kernel feeds (`/dev/watchdog`); when it expires QEMU takes `action`
 * and libvirt reports a `watchdog` event. */
export const VmWatchdogSpec = z.strictObject({
  model: z.literal('i6300esb'),
  action: z.enum(['reset', 'poweroff', 'pause', 'none']),
});
export type VmWatchdogSpec = z.infer<typeof VmWatchdogSpec>;

export const BootDeviceSpec = z.enum(['hd', 'cdrom', 'network']);
export type BootDeviceSpec = z.infer<typeof BootDeviceSpec>;

export const VmSpec = z
  .strictObject({
    /** = the engine's VM id. */
    uuid: z.guid(),
    name: SafeName,
    /** 'kvm' only when the host's capabilities say KVM really works; otherwise TCG ('qemu'). */
    virtType: z.enum(['kvm', 'qemu']),
    vcpus: z.number().int().min(1).max(512),
    memoryMib: z.number().int().min(16).max(4_194_304),
    maxMemoryMib: z.number().int().min(16).max(4_194_304),
    disks: z.array(VmDiskSpec).max(26),
    nics: z.array(VmNicSpec).max(16),
    cdrom: VmCdromSpec,
    boot: VmBootSpec,
    graphicsVnc: z.boolean(),
    /** The guest CPU (the cluster's model, so its VMs can move between its hosts); absent: QEMU's default. */
    cpu: VmCpuSpec.optional(),
    /** Serial console output is also appended to this file on the host (virtlogd). */
    serialLogPath: SafePath.optional(),
    /** QEMU machine type: i440FX (`pc`) or PCI Express (`q35`, the CD-ROM on SATA). */
    machine: z.enum(['pc', 'q35']).default('pc'),
    firmware: VmFirmwareSpec.default({ kind: 'bios' }),
    watchdog: VmWatchdogSpec.optional(),
    /** Devices tried in order when `boot` is `disk` (the boot disk, the CD-ROM, the first NIC); a
     * `cdrom` boot puts the CD-ROM first. Absent: the boot disk only. */
    bootOrder: z
      .array(BootDeviceSpec)
      .min(1)
      .max(3)
      .refine((l) => new Set(l).size === l.length, 'each device at most once')
      .optional(),
  })
  // OVMF's Secure Boot build keeps its variables safe in SMM, which QEMU has only on q35.
  .refine((s) => s.firmware.kind !== 'uefi' || !s.firmware.secureBoot || s.machine === 'q35', {
    message: 'Secure Boot needs the q35 machine type',
    path: ['firmware', 'secureBoot'],
  });
export type VmSpec = z.infer<typeof VmSpec>;
export type VmSpecInput = z.input<typeof VmSpec>;

/** A device hot-plugged into (or out of) a VM. */
export const VmDeviceSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('disk'), disk: VmDiskSpec }),
  z.strictObject({ kind: z.literal('nic'), nic: VmNicSpec }),
]);
export type VmDeviceSpec = z.infer<typeof VmDeviceSpec>;
