import type { Task } from '@kelpie/shared-types';
import { expect, it, vi } from 'vitest';
import { ApiError, type SendResult } from '../api/client';
import { EMPTY_CLOUD_INIT, type CloudInitValues } from './cloudInitForm';
import { createVm, waitForTask, type CreateVmDeps } from './createVmFlow';
import { EMPTY_VM, type VmValues } from './vmRequest';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKelpie ops@kelpie';
const task = (over: Partial<Task> = {}) =>
  ({
    id: 't1',
    type: 'vm.create',
    status: 'running',
    progress: 0,
    target: { type: 'vm', id: 'vm-1', name: 'web-1' },
    ...over,
  }) as Task;

/** Fake API: answers by `METHOD path`; records every call and every toast. */
function fake(answers: Record<string, unknown | ApiError>, finished: Task = task({ status: 'succeeded' })) {
  const calls: string[] = [];
  const shown: string[] = [];
  const post = <T>(path: string, body: unknown) => {
    calls.push(`POST ${path} ${JSON.stringify(body)}`);
    const a = answers[`POST ${path}`];
    if (a instanceof ApiError) return Promise.reject(a);
    return Promise.resolve({ status: 202, body: a as T, correlationId: 'c' } as SendResult<T>);
  };
  const deps: CreateVmDeps = {
    previewCloudInit: (seed) => post('/cloud-init/preview', seed),
    create: (req) => post(req.templateId ? `/templates/${req.templateId}/vms` : '/vms', req.body),
    attachCloudInit: (vmId, seed) => post(`/vms/${vmId}/cloud-init`, seed),
    show: (label) => shown.push(label),
    waitTask: () => {
      calls.push('wait');
      return Promise.resolve(finished);
    },
  };
  return { deps, calls, shown };
}

const vm: VmValues = {
  ...EMPTY_VM,
  name: 'web-1',
  bootKind: 'disk',
  diskStorageDomainId: 'sd',
  diskSizeGiB: '1',
};
const ci: CloudInitValues = { ...EMPTY_CLOUD_INIT, enabled: true, hostname: 'web-1', sshKeys: KEY };
const seed = JSON.stringify({ hostname: 'web-1', sshAuthorizedKeys: [KEY] });

it('without cloud-init: creates, waits for the create task, then hands back its VM', async () => {
  const f = fake({ 'POST /vms': task() });
  expect(await createVm(vm, 'c1', EMPTY_CLOUD_INIT, f.deps)).toEqual({ created: true, vmId: 'vm-1' });
  expect(f.calls.map((c) => c.split(' {')[0])).toEqual(['POST /vms', 'wait']);
  expect(f.shown).toEqual(['Create VM web-1']);
});

it('a create the scheduler refuses (no cloud-init) stays on the form with the reason by the memory field', async () => {
  const reason =
    'no host fits (h1: needs 65536 MiB, only 3000 MiB uncommitted (4000 MiB − 500 MiB committed − 500 MiB reserve))';
  const f = fake(
    { 'POST /vms': task() },
    task({
      status: 'failed',
      errorCode: 'unprocessable',
      errorMessage: reason,
      steps: [{ name: 'schedule', status: 'failed', message: reason }],
    }),
  );
  expect(await createVm({ ...vm, memoryMib: '65536' }, 'c1', EMPTY_CLOUD_INIT, f.deps)).toEqual({
    created: false,
    errors: {
      fields: { memoryMib: reason },
      form: 'No host can run web-1 as configured; nothing was created.',
    },
  });
});

it('with cloud-init: checks the seed, creates, waits for the task, then attaches the same seed', async () => {
  const f = fake({
    'POST /cloud-init/preview': { userData: '#cloud-config\n' },
    'POST /vms': task(),
    'POST /vms/vm-1/cloud-init': task({ id: 't2', type: 'vm.cloud_init' }),
  });
  expect(await createVm(vm, 'c1', ci, f.deps)).toEqual({ created: true, vmId: 'vm-1' });
  expect(f.calls).toEqual([
    `POST /cloud-init/preview ${seed}`,
    expect.stringMatching(/^POST \/vms \{/),
    'wait',
    `POST /vms/vm-1/cloud-init ${seed}`,
  ]);
  expect(f.shown).toEqual(['Create VM web-1', 'Cloud-init seed for web-1']);
});

it('a bad SSH key: the API reason goes next to the key field and nothing is created', async () => {
  const f = fake({
    'POST /cloud-init/preview': new ApiError(400, {
      code: 'validation_failed',
      message: 'invalid input: sshAuthorizedKeys',
      details: [
        {
          field: 'sshAuthorizedKeys',
          reason: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry',
        },
      ],
    }),
  });
  expect(await createVm(vm, 'c1', { ...ci, sshKeys: 'not a key' }, f.deps)).toEqual({
    created: false,
    errors: {
      fields: { ciSshKeys: 'SSH authorized keys must be OpenSSH public keys, one per entry' },
      form: null,
    },
  });
  expect(f.calls).toHaveLength(1);
  expect(f.shown).toEqual([]);
});

it('from a template: the VM id comes from the task target; cloud-init follows the clone task', async () => {
  const clone = task({ type: 'vm.create_thin', target: { type: 'vm', id: 'vm-9', name: 'thin-1' } });
  const f = fake({
    'POST /cloud-init/preview': {},
    'POST /templates/tpl/vms': clone,
    'POST /vms/vm-9/cloud-init': task({ id: 't3' }),
  });
  const out = await createVm(
    { ...EMPTY_VM, name: 'thin-1', bootKind: 'template', templateId: 'tpl' },
    'c1',
    ci,
    f.deps,
  );
  expect(out).toEqual({ created: true, vmId: 'vm-9' });
  expect(f.calls[1]).toBe('POST /templates/tpl/vms {"name":"thin-1","mode":"thin"}');
});

it('a failed create task stops before cloud-init and says why', async () => {
  const f = fake(
    { 'POST /cloud-init/preview': {}, 'POST /vms': task() },
    task({ status: 'failed', errorMessage: 'no host can run it' }),
  );
  expect(await createVm(vm, 'c1', ci, f.deps)).toEqual({
    created: false,
    errors: { fields: {}, form: 'Creating web-1 failed: no host can run it' },
  });
  expect(f.calls.some((c) => c.includes('/cloud-init '))).toBe(false);
});

it('a seed refused after creation keeps the VM and says both', async () => {
  const f = fake({
    'POST /cloud-init/preview': {},
    'POST /vms': task(),
    'POST /vms/vm-1/cloud-init': new ApiError(422, {
      code: 'unprocessable',
      message: 'VM web-1 has no disk; give storageDomainId for the seed ISO',
      details: [{ field: 'storageDomainId', reason: 'required: the VM has no disk to put the ISO beside' }],
    }),
  });
  const out = await createVm(vm, 'c1', ci, f.deps);
  expect(out).toMatchObject({
    created: true,
    vmId: 'vm-1',
    errors: { fields: { ciStorageDomainId: 'required: the VM has no disk to put the ISO beside' } },
  });
  expect(out.errors?.form).toMatch(/^web-1 was created, but its cloud-init seed was refused/);
});

it('refuses locally what cannot work: no template chosen, cloud-init on a define-only VM', async () => {
  const f = fake({});
  expect(await createVm({ ...EMPTY_VM, name: 'x', bootKind: 'template' }, 'c1', ci, f.deps)).toMatchObject({
    created: false,
    errors: { fields: { templateId: 'choose a template' } },
  });
  expect(await createVm({ ...EMPTY_VM, name: 'x' }, 'c1', ci, f.deps)).toMatchObject({
    created: false,
    errors: { form: expect.stringMatching(/cloud-init needs a VM placed on a host/) },
  });
  expect(f.calls).toEqual([]);
});

it('waitForTask long-polls the task until it is final', async () => {
  const urls: string[] = [];
  const answers = [task({ status: 'running', progress: 50 }), task({ status: 'succeeded', progress: 100 })];
  vi.stubGlobal('fetch', (url: string) => {
    urls.push(url);
    return Promise.resolve(new Response(JSON.stringify(answers.shift()), { status: 200 }));
  });
  try {
    expect((await waitForTask(task({ status: 'queued' }), 5000)).status).toBe('succeeded');
    expect(urls).toEqual(['/api/v1/tasks/t1?wait=5000', '/api/v1/tasks/t1?wait=5000']);
  } finally {
    vi.unstubAllGlobals();
  }
});
