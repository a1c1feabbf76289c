import { z } from 'zod';
import { domainRef, ok, spec } from './command-spec';
import { DomainSnapshot } from './domain';
import {
  BridgeName,
  MacAddress,
  NicBandwidth,
  SafeName,
  SafePath,
  TargetDev,
  VmDeviceSpec,
  VmNicSpec,
  VmSpec,
} from './vm-spec';

const PoolName = SafeName;
const VolumeName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** Largest NVRAM file carried between hosts: OVMF's variable stores are 128 KiB (2 MiB builds) and
 * 528 KiB (4 MiB builds); 4 MiB leaves room for others without letting a stray file through Redis. */
export const NVRAM_MAX_BYTES = 4 * 1024 * 1024;
/** A UEFI VM's NVRAM file, whole (ADR 0066). */
export const NvramContent = z.strictObject({
  base64: z
    .string()
    .max(Math.ceil(NVRAM_MAX_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  sha256: Sha256,
  sizeBytes: z.number().int().min(1).max(NVRAM_MAX_BYTES),
});
export type NvramContent = z.infer<typeof NvramContent>;

/** VM lifecycle commands: storage pools and volumes for a VM's disks, defining a domain
 * from the typed VmSpec, live/persistent edits and hot-plug. Power commands are in CORE_COMMANDS. */
export const VM_COMMANDS = {
  /** Makes sure a libvirt pool serves `path` on the host: an existing pool whose target is `path` is
   * reused (libvirt refuses two pools on one directory), otherwise a `dir` pool `name` is defined,
   * built, started and set to autostart. */
  'storage.ensure-pool': spec({
    payload: z.strictObject({ name: PoolName, path: SafePath, type: z.literal('dir').default('dir') }),
    result: z.object({ pool: z.string(), path: z.string(), created: z.boolean() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** `vol-create-as` (sparse); an existing volume of the same name is kept (idempotent). */
  'volume.create': spec({
    payload: z.strictObject({
      pool: PoolName,
      name: VolumeName,
      capacityBytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .max(64 * 1024 ** 4),
      format: z.enum(['qcow2', 'raw']),
    }),
    result: z.object({ path: z.string(), created: z.boolean(), allocationBytes: z.number().int() }),
    idempotent: true,
    timeoutMs: 120_000,
  }),
  /** `vol-delete`; a missing volume is not an error. With `top` (the disk's active image, an
   * external snapshot's overlay in the same pool), the overlays from `top` down to the volume go
   * too, read from the host's backing chain (`qemu-img info --backing-chain -U`): also the middle
   * ones of several snapshots. `deleted`: the paths removed, top first. */
  'volume.delete': spec({
    payload: z.strictObject({ pool: PoolName, name: VolumeName, top: VolumeName.optional() }),
    result: z.object({ ok: z.literal(true), deleted: z.array(z.string()).optional() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** Which of these directories / bridges the host lacks (the scheduler skips such hosts). */
  'host.check-resources': spec({
    payload: z.strictObject({
      paths: z.array(SafePath).max(64),
      bridges: z.array(BridgeName).max(64),
    }),
    result: z.object({ missingPaths: z.array(z.string()), missingBridges: z.array(z.string()) }),
    idempotent: true,
    timeoutMs: 15_000,
  }),
  /** Builds the domain XML from the spec and defines it persistently (a running domain's next-boot
   * config is replaced; its live state is untouched). An inactive domain whose libvirt name differs
   * is renamed first; an active one keeps its name (`renamed: false`). */
  'vm.define-spec': spec({
    payload: z.strictObject({ spec: VmSpec }),
    result: z.object({ domain: DomainSnapshot, xml: z.string(), renamed: z.boolean() }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** Persistent (`--config`) resources and name: `domrename` when the domain is inactive (an active
   * one keeps its name: `renamed: false`), `setvcpus --config [--maximum]`, `setmaxmem`/`setmem --config`. */
  'vm.configure': spec({
    payload: domainRef.extend({
      name: SafeName.optional(),
      vcpus: z.number().int().min(1).max(512).optional(),
      memoryMib: z.number().int().min(16).max(4_194_304).optional(),
      maxMemoryMib: z.number().int().min(16).max(4_194_304).optional(),
    }),
    result: z.object({ domain: DomainSnapshot, renamed: z.boolean() }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** `setmem --live` (balloon) up to the domain's maximum memory. */
  'vm.set-memory-live': spec({
    payload: domainRef.extend({ memoryMib: z.number().int().min(16).max(4_194_304) }),
    result: DomainSnapshot,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** `attach-device --config [--live]` with device XML built from the typed device. */
  'vm.attach-device': spec({
    payload: domainRef.extend({ device: VmDeviceSpec, live: z.boolean() }),
    result: z.object({ xml: z.string() }),
    idempotent: false,
    timeoutMs: 60_000,
  }),
  /** `detach-device`; with `live`, from the running guest first, and from the definition only once
   * the guest has released it (fails, still defined, when the guest does not within 30 s); a device
   * already gone is not an error. */
  'vm.detach-device': spec({
    payload: domainRef.extend({ device: VmDeviceSpec, live: z.boolean() }),
    result: ok,
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** `update-device --config [--live]` of the NIC with this MAC, from its whole new `<interface>`:
   * another bridge/VLAN, bandwidth or link state while the guest runs. What libvirt cannot change in
   * place (an OVS port's VLAN tag on older libvirt) is done by unplugging the NIC live and plugging
   * the new one with the same MAC (`replugged`: the guest saw its NIC go and come back). */
  'vm.update-nic': spec({
    payload: domainRef.extend({ nic: VmNicSpec, live: z.boolean() }),
    result: z.object({ xml: z.string(), replugged: z.boolean() }),
    idempotent: true,
    timeoutMs: 60_000,
  }),
  /** `domif-setlink` of the NIC with this MAC: the running guest's link (`live`) and the definition. */
  'vm.set-nic-link': spec({
    payload: domainRef.extend({ mac: MacAddress, up: z.boolean(), live: z.boolean() }),
    result: ok,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** `domiftune` of the NIC with this MAC: its bandwidth (each direction absent: unlimited) on the
   * running guest (`live`) and in the definition, without touching anything else of the NIC. */
  'vm.set-nic-bandwidth': spec({
    payload: domainRef.extend({ mac: MacAddress, bandwidth: NicBandwidth, live: z.boolean() }),
    result: ok,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** `change-media --update|--eject --config [--live]` on the CD-ROM drive. */
  'vm.change-media': spec({
    payload: domainRef.extend({ targetDev: TargetDev, isoPath: SafePath.nullable(), live: z.boolean() }),
    result: ok,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** A UEFI VM's variable store (its per-domain NVRAM file, named by the VM's id) as base64, for a
   * cold move to another host; `null` when the host has none (the VM never started there). */
  'vm.nvram.export': spec({
    payload: domainRef,
    result: NvramContent.nullable(),
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** Writes a VM's NVRAM file from an export (checked against its `sha256`, written under a temporary
   * name and renamed), so its next start keeps its boot entries and Secure Boot enrollments instead
   * of a fresh copy of the firmware's template. Refused (`operation_invalid`) while the domain runs
   * here: QEMU holds the file and would overwrite it. */
  'vm.nvram.import': spec({
    payload: domainRef.extend({ nvram: NvramContent }),
    result: z.object({ path: z.string(), sha256: Sha256 }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
} as const;
