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
      vcpus: 'vcpus must not be greater than 512; vcpus must be an integer',
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
    form: 'invalid request: maxMemoryMib: must be at least memoryMib (2048)',
  });
});

it('shows network failures and unknown errors as text', () => {
  expect(formErrors(new Error('Failed to fetch'), FIELDS)).toEqual({ fields: {}, form: 'Failed to fetch' });
  expect(formErrors(new ApiError(502, undefined), FIELDS)).toEqual({ fields: {}, form: 'HTTP 502' });
  expect(formErrors(null, FIELDS)).toEqual({ fields: {}, form: null });
});
