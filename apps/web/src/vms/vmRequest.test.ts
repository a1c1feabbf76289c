import { expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { formErrors } from '../forms/fieldErrors';
import { createRequest, EMPTY_VM, VM_API_FIELD, VM_FIELDS } from './vmRequest';

it('a define-only VM: cluster, name, CPU and memory', () => {
  expect(createRequest({ ...EMPTY_VM, name: ' web-1 ', vcpus: '2', memoryMib: '512' }, 'c1')).toEqual({
    body: { clusterId: 'c1', name: 'web-1', vcpus: 2, memoryMib: 512 },
  });
});

it('a provisioned VM: disk, NIC and kernel boot', () => {
  const req = createRequest(
    {
      ...EMPTY_VM,
      name: 'k1',
      memoryMib: '128',
      diskStorageDomainId: 'sd',
      diskSizeGiB: '1',
      nicNetworkId: 'net',
      bootKind: 'kernel',
      kernel: '/k',
      initrd: '/i',
    },
    'c1',
  );
  expect(req.body).toMatchObject({
    disks: [{ storageDomainId: 'sd', sizeGiB: 1, bootable: false }],
    nics: [{ networkId: 'net' }],
    boot: { kind: 'kernel', kernel: '/k', initrd: '/i' },
  });
});

it('from a template: only the name and the copy mode, CPU/memory/disk fields are ignored', () => {
  expect(
    createRequest(
      {
        ...EMPTY_VM,
        name: 'thin-1',
        bootKind: 'template',
        templateId: 't1',
        cloneMode: 'thin',
        vcpus: '8',
        diskStorageDomainId: 'sd',
        diskSizeGiB: '5',
      },
      'c1',
    ),
  ).toEqual({ templateId: 't1', body: { name: 'thin-1', mode: 'thin' } });
});

it('maps nested API fields and the template body fields to their inputs', () => {
  const err = new ApiError(400, {
    code: 'validation_failed',
    message: 'invalid input',
    details: [
      { field: 'disks.0.sizeGiB', reason: 'sizeGiB must not be less than 1' },
      { field: 'mode', reason: 'mode must be one of the following values: full, thin' },
      { field: 'name', reason: 'already taken' },
    ],
  });
  expect(formErrors(err, VM_FIELDS, VM_API_FIELD).fields).toEqual({
    diskSizeGiB: 'sizeGiB must not be less than 1',
    cloneMode: 'mode must be one of the following values: full, thin',
    name: 'already taken',
  });
});

it("machine type and firmware: left out for the cluster's default, Secure Boot as firmware + secureBoot", () => {
  expect(createRequest({ ...EMPTY_VM, name: 'a' }, 'c1').body).not.toHaveProperty('machineType');
  expect(createRequest({ ...EMPTY_VM, name: 'a' }, 'c1').body).not.toHaveProperty('firmware');
  expect(
    createRequest({ ...EMPTY_VM, name: 'a', machineType: 'q35', firmware: 'uefi-secure' }, 'c1').body,
  ).toMatchObject({ machineType: 'q35', firmware: 'uefi', secureBoot: true });
  expect(createRequest({ ...EMPTY_VM, name: 'a', firmware: 'uefi' }, 'c1').body).toMatchObject({
    firmware: 'uefi',
  });
  expect(VM_API_FIELD.secureBoot).toBe('firmware');
});
