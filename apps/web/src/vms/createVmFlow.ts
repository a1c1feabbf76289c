import type { Task, Vm } from '@kelpie/shared-types';
import type { SendResult } from '../api/client';
import { formErrors, type FormErrors } from '../forms/fieldErrors';
import {
  CLOUD_INIT_API_FIELD,
  CLOUD_INIT_FIELDS,
  cloudInitBody,
  type CloudInitBody,
  type CloudInitValues,
} from './cloudInitForm';
import {
  createRequest,
  VM_API_FIELD,
  VM_FIELDS,
  type CreateRequest,
  type VmField,
  type VmValues,
} from './vmRequest';

/** The wizard's requests (the typed API client in the portal, a fake in tests). */
export interface CreateVmDeps {
  /** `POST /cloud-init/preview`: a bad seed is refused before anything is created. */
  previewCloudInit(seed: CloudInitBody): Promise<unknown>;
  /** `POST /vms` (a VM, or a task when it is provisioned on a host) or `POST /templates/{id}/vms` (a task). */
  create(req: CreateRequest): Promise<SendResult<Vm | Task>>;
  /** `POST /vms/{id}/cloud-init`. */
  attachCloudInit(vmId: string, seed: CloudInitBody): Promise<SendResult<unknown>>;
  /** Shows a request that already succeeded (and its task) in the activity toasts. */
  show(label: string, res: SendResult<unknown>): void;
  /** Resolves with the task once it has finished. */
  waitTask(task: Task): Promise<Task>;
  /** What the wizard is doing now (shown beside the submit button). */
  onStep?(message: string): void;
}

export type CreateVmOutcome =
  /** Nothing was created; the errors go next to their fields. */
  | { created: false; errors: FormErrors }
  /** The VM exists (its page is `vmId`); `errors` when a later step (cloud-init) was refused. */
  | { created: true; vmId: string; errors?: FormErrors };

const isTask = (b: unknown): b is Task => !!b && typeof b === 'object' && 'progress' in b && 'type' in b;
const refused = (form: string, fields: Record<string, string> = {}) => ({
  created: false as const,
  errors: { fields, form },
});

/**
 * The wizard's submit: checks the cloud-init seed first (so a bad key creates nothing), creates the VM
 * (`POST /vms` or `POST /templates/{id}/vms`), waits for the create task (the scheduler may refuse it;
 * the VM must be on its host for the seed) and attaches the seed (`POST /vms/{id}/cloud-init`).
 */
export async function createVm(
  vm: VmValues,
  clusterId: string,
  cloudInit: CloudInitValues,
  deps: CreateVmDeps,
): Promise<CreateVmOutcome> {
  const name = vm.name.trim();
  if (vm.bootKind === 'template' && !vm.templateId)
    return refused('Choose a template', { templateId: 'choose a template' });
  const req = createRequest(vm, clusterId);
  const seed = cloudInitBody(cloudInit);
  if (seed && !req.templateId && !['disks', 'nics', 'boot'].some((k) => k in req.body))
    return refused('cloud-init needs a VM placed on a host: choose a boot source, a disk or a network');

  if (seed) {
    deps.onStep?.('Checking cloud-init…');
    try {
      await deps.previewCloudInit(seed);
    } catch (err) {
      return { created: false, errors: formErrors(err, CLOUD_INIT_FIELDS, CLOUD_INIT_API_FIELD) };
    }
  }

  deps.onStep?.(`Creating ${name}…`);
  let res: SendResult<Vm | Task>;
  try {
    res = await deps.create(req);
  } catch (err) {
    return { created: false, errors: formErrors(err, VM_FIELDS, VM_API_FIELD) };
  }
  deps.show(`Create VM ${name}`, res);
  const task = isTask(res.body) ? res.body : undefined;
  const vmId = task ? (task.target?.id ?? '') : (res.body as Vm).id;
  // Always wait: a create the scheduler refuses fails in its task (and the VM record is removed), so
  // the wizard must stay on the form with the reason rather than open a page that no longer exists.
  if (task) {
    deps.onStep?.(`Creating ${name}: waiting for its host…`);
    const done = await deps.waitTask(task);
    if (done.status !== 'succeeded') return { created: false, errors: createTaskErrors(name, done) };
  }
  if (!seed) return { created: true, vmId };

  deps.onStep?.('Attaching the cloud-init seed…');
  try {
    deps.show(`Cloud-init seed for ${name}`, await deps.attachCloudInit(vmId, seed));
  } catch (err) {
    const errors = formErrors(err, CLOUD_INIT_FIELDS, CLOUD_INIT_API_FIELD);
    return {
      created: true,
      vmId,
      errors: {
        ...errors,
        form: `${name} was created, but its cloud-init seed was refused: ${errors.form ?? 'see the fields below'}`,
      },
    };
  }
  return { created: true, vmId };
}

/** Scheduler reasons (placement.ts) → the wizard field that can fix them. */
const PLACEMENT_FIELDS: Array<[RegExp, VmField]> = [
  [/needs \d+ MiB/, 'memoryMib'],
  [/lacks storage/, 'diskStorageDomainId'],
  [/lacks bridge/, 'nicNetworkId'],
];

/** A failed create task: its reason above the form and, when the scheduler refused, by the field. */
export function createTaskErrors(name: string, task: Task): FormErrors {
  const reason = task.errorMessage ?? 'no reason given';
  const fields: Record<string, string> = {};
  const scheduling = task.steps?.some((s) => s.name === 'schedule' && s.status === 'failed');
  if (scheduling || task.errorCode === 'unprocessable')
    for (const [pattern, field] of PLACEMENT_FIELDS) if (pattern.test(reason)) fields[field] = reason;
  // The full reason stands by the field; the summary says what happened.
  const form = Object.keys(fields).length
    ? `No host can run ${name} as configured; nothing was created.`
    : `Creating ${name} ${task.status}: ${reason}`;
  return { fields, form };
}

export { waitForTask } from '../activity/taskText';
