import type { ApiComponents } from '@kelpie/shared-types';

/** The wizard's VM values → the create request (a new VM, or a VM made from a template). */

export const VM_FIELDS = [
  'clusterId',
  'name',
  'vcpus',
  'memoryMib',
  'description',
  'diskStorageDomainId',
  'diskSizeGiB',
  'nicNetworkId',
  'bootKind',
  'isoId',
  'kernel',
  'initrd',
  'cmdline',
  'machineType',
  'firmware',
  'templateId',
  'cloneMode',
] as const;
export type VmField = (typeof VM_FIELDS)[number];
export type VmValues = Record<VmField, string>;

export const EMPTY_VM: VmValues = {
  clusterId: '',
  name: '',
  vcpus: '1',
  memoryMib: '1024',
  description: '',
  diskStorageDomainId: '',
  diskSizeGiB: '',
  nicNetworkId: '',
  bootKind: 'none',
  isoId: '',
  kernel: '',
  initrd: '',
  cmdline: '',
  // Empty: the cluster's default.
  machineType: '',
  firmware: '',
  templateId: '',
  cloneMode: 'thin',
};

/** API error fields (`disks[0].sizeGiB`, `boot.kernel`, `mode`, …) → the form field showing them. */
export const VM_API_FIELD: Record<string, VmField> = {
  'disks[0].storageDomainId': 'diskStorageDomainId',
  'disks.0.storageDomainId': 'diskStorageDomainId',
  'disks[0].sizeGiB': 'diskSizeGiB',
  'disks.0.sizeGiB': 'diskSizeGiB',
  'nics[0].networkId': 'nicNetworkId',
  'nics.0.networkId': 'nicNetworkId',
  'boot.kind': 'bootKind',
  'boot.isoId': 'isoId',
  'boot.isoPath': 'isoId',
  'boot.kernel': 'kernel',
  'boot.initrd': 'initrd',
  'boot.cmdline': 'cmdline',
  mode: 'cloneMode',
  id: 'templateId',
  secureBoot: 'firmware',
};

export type CreateVmBody = ApiComponents['schemas']['CreateVmDto'];
export type FromTemplateBody = ApiComponents['schemas']['CreateFromTemplateDto'];

/** `POST /templates/{templateId}/vms` or `POST /vms`. */
export type CreateRequest =
  { templateId: string; body: FromTemplateBody } | { templateId?: undefined; body: CreateVmBody };

/** What the form may leave out or get wrong is sent as typed: the API's 400 names the field. */
type Provisioning = Pick<CreateVmBody, 'disks' | 'nics' | 'boot'>;

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** Disk, NIC and boot source: any of them makes the API provision the VM on a host (202 + task). */
function provisioning(v: VmValues): Provisioning {
  const out: Record<string, unknown> = {};
  if (v.diskStorageDomainId || v.diskSizeGiB.trim())
    out.disks = [
      {
        storageDomainId: v.diskStorageDomainId,
        sizeGiB: num(v.diskSizeGiB),
        bootable: v.bootKind === 'disk',
      },
    ];
  if (v.nicNetworkId) out.nics = [{ networkId: v.nicNetworkId }];
  if (v.bootKind === 'disk') out.boot = { kind: 'disk' };
  else if (v.bootKind === 'cdrom') out.boot = { kind: 'cdrom', isoId: v.isoId || undefined };
  else if (v.bootKind === 'kernel')
    out.boot = {
      kind: 'kernel',
      kernel: v.kernel.trim(),
      initrd: v.initrd.trim(),
      ...(v.cmdline.trim() ? { cmdline: v.cmdline.trim() } : {}),
    };
  return out as Provisioning;
}

/** `POST /templates/{id}/vms` when the boot source is a template (CPU, memory, disks and NICs come
 * from it), else `POST /vms`. */
export function createRequest(v: VmValues, clusterId: string): CreateRequest {
  const name = v.name.trim();
  if (v.bootKind === 'template')
    return { templateId: v.templateId, body: { name, mode: v.cloneMode as FromTemplateBody['mode'] } };
  return {
    body: {
      clusterId,
      name,
      vcpus: num(v.vcpus),
      memoryMib: num(v.memoryMib),
      ...(v.description ? { description: v.description } : {}),
      ...(v.machineType ? { machineType: v.machineType as CreateVmBody['machineType'] } : {}),
      ...(v.firmware === 'uefi-secure'
        ? { firmware: 'uefi', secureBoot: true }
        : v.firmware
          ? { firmware: v.firmware as CreateVmBody['firmware'] }
          : {}),
      ...provisioning(v),
    },
  };
}
