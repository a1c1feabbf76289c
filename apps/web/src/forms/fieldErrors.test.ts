import { expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { formErrors } from './fieldErrors';

const FIELDS = ['name', 'clusterId', 'vcpus', 'memoryMib', 'description'];

it('puts each detail next to its field and keeps the summary off the form', () => {
  const err = new ApiError(400, {
    code: 'validation_failed',
    message: 'invalid request',
    details: [
      { field: 'name', reason: 'name must be 1-64 of letters, digits, "_", "." and "-"' },
      { field: 'vcpus', reason: 'vcpus must not be greater than 512' },
      { field: 'vcpus', reason: 'vcpus must be an integer' },
    ],
  });
  expect(formErrors(err, FIELDS)).toEqual({
    fields: {
      name: 'name must be 1-64 of letters, digits, "_", "." and "-"',
      vcpus: 'vCPUs must not be greater than 512; vCPUs must be an integer',
    },
    form: null,
  });
});

it('shows the message when no field explains the error (409 duplicate name without details)', () => {
  const err = new ApiError(409, { code: 'conflict', message: 'a VM named web-1 already exists' });
  expect(formErrors(err, FIELDS)).toEqual({ fields: {}, form: 'a VM named web-1 already exists' });
});

it('maps a 404 on a referenced object to its field', () => {
  const err = new ApiError(404, {
    code: 'not_found',
    message: 'cluster x (clusterId) does not exist',
    details: [{ field: 'clusterId', reason: 'cluster does not exist' }],
  });
  expect(formErrors(err, FIELDS).fields).toEqual({ clusterId: 'cluster does not exist' });
});

it('keeps details of fields the form does not have at the top, and nested fields under their parent', () => {
  const err = new ApiError(400, {
    code: 'validation_failed',
    message: 'invalid request',
    details: [
      { field: 'maxMemoryMib', reason: 'must be at least memoryMib (2048)' },
      { field: 'memoryMib.value', reason: 'too big' },
    ],
  });
  expect(formErrors(err, FIELDS)).toEqual({
    fields: { memoryMib: 'too big' },
    form: 'invalid request: max memory (MiB): must be at least memory (MiB) (2048)',
  });
});

it('shows network failures and unknown errors as text', () => {
  expect(formErrors(new Error('Failed to fetch'), FIELDS)).toEqual({ fields: {}, form: 'Failed to fetch' });
  expect(formErrors(new ApiError(502, undefined), FIELDS)).toEqual({ fields: {}, form: 'HTTP 502' });
  expect(formErrors(null, FIELDS)).toEqual({ fields: {}, form: null });
});

it('says API field names as words, in reasons, messages and the fields the form lacks', () => {
  const err = new ApiError(409, {
    code: 'conflict',
    message: 'duplicate value for name (unique per datacenterId)',
    details: [
      { field: 'disks[0].storageDomainId', reason: 'storageDomainId is not attached to clusterId' },
      { field: 'sshAuthorizedKeys', reason: 'sshAuthorizedKeys must be OpenSSH public keys' },
    ],
  });
  expect(formErrors(err, FIELDS)).toEqual({
    fields: {},
    form:
      'duplicate value for name (unique per datacenter): disks #1 storage domain: storage domain is not ' +
      'attached to cluster; SSH authorized keys: SSH authorized keys must be OpenSSH public keys',
  });
  // Names people chose are not field names.
  expect(
    formErrors(new ApiError(409, { code: 'conflict', message: 'a VM named webVm exists' }), FIELDS).form,
  ).toBe('a VM named webVm exists');
});
