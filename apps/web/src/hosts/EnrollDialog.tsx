import type { Host, Task } from '@kelpie/shared-types';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError, as, send as sendRequest } from '../api/client';
import { fetchItem } from '../api/hooks';
import { useClusterNames } from '../api/names';
import { keys } from '../api/resources';
import { FINAL_TASK_STATUSES } from '../activity/Activity';
import { useApiMutation } from '../activity/useApiMutation';
import { ErrorBox } from '../components/ErrorBox';
import { StatusBadge } from '../components/StatusBadge';
import { Dialog } from '../dialogs/Dialog';
import { DialogButtons } from '../dialogs/DialogButtons';
import { NumberField, SelectField, TextField } from '../forms/fields';
import {
  EMPTY_ENROLL_FORM,
  enrollRequest,
  failureText,
  stepLabel,
  STEP_BADGE,
  unconfirmedFingerprint,
  type EnrollBody,
  type EnrollForm,
} from './enrollForm';

type Props = { onClose: () => void } & (
  { mode: 'add' } | { mode: 'reinstall'; host: Pick<Host, 'id' | 'name'> }
);

/**
 * "Add host" (enroll over SSH) and "Reinstall": the SSH fields, then the host key to confirm (as an
 * SSH client shows it), then the task's steps live with the failure reason. The password or key is
 * sent once and forgotten with the dialog.
 */
export function EnrollDialog(props: Props) {
  const [taskId, setTaskId] = useState<string | null>(null);
  const title = props.mode === 'add' ? 'Add host' : `Reinstall ${props.host.name}`;
  return (
    <Dialog title={title} onClose={props.onClose} wide>
      {taskId ? (
        <EnrollProgress taskId={taskId} onClose={props.onClose} />
      ) : (
        <EnrollFormView {...props} onStarted={setTaskId} />
      )}
    </Dialog>
  );
}

function EnrollFormView(props: Props & { onStarted: (taskId: string) => void }) {
  const { mode, onClose, onStarted } = props;
  const clusters = useClusterNames();
  const target = props.mode === 'reinstall' ? props.host : null;
  const enroll = useApiMutation<EnrollBody, Task>({
    label: () => (target ? `Reinstall ${target.name}` : `Add host ${form.name}`),
    send: (body) =>
      target || !('clusterId' in body)
        ? sendRequest(
            (c) =>
              api.POST('/api/v1/hosts/{id}/enroll', { params: { path: { id: target!.id } }, body, ...c }),
            as<Task>(),
          )
        : sendRequest((c) => api.POST('/api/v1/hosts', { body, ...c }), as<Task>()),
    invalidates: ['hosts', 'tasks'],
    // The first answer without a confirmed fingerprint is the host key to show, not a failure.
    answered: (err) => unconfirmedFingerprint(err) !== null,
  });
  const [form, setForm] = useState<EnrollForm>(EMPTY_ENROLL_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [apiError, setApiError] = useState<unknown>(null);
  const id = useId();
  const set = (patch: Partial<EnrollForm>) => setForm((f) => ({ ...f, ...patch }));
  const apiField = (field: string) =>
    apiError instanceof ApiError ? apiError.body?.details?.find((d) => d.field === field)?.reason : undefined;

  function send(confirmed?: string) {
    const r = enrollRequest(form, mode, confirmed);
    if ('errors' in r) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setApiError(null);
    enroll.mutateAsync(r.body).then(
      (res) => onStarted(res.body.id),
      (err: unknown) => {
        const asked = unconfirmedFingerprint(err);
        if (asked) setFingerprint(asked);
        else setApiError(err);
      },
    );
  }

  if (fingerprint)
    return (
      <form
        className="form form-wide"
        onSubmit={(e) => {
          e.preventDefault();
          send(fingerprint);
        }}
      >
        <div className="notice" role="alert" aria-labelledby={`${id}-fp-title`}>
          <p id={`${id}-fp-title`} className="strong">
            Confirm the host key of {form.address || 'the host'}
          </p>
          <p>The host offered this SSH key fingerprint:</p>
          <p>
            <code aria-label="Host key fingerprint">{fingerprint}</code>
          </p>
          <p className="muted small">
            Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> run on the
            host&apos;s console. The engine will refuse any other key from now on.
          </p>
        </div>
        <ErrorBox error={apiError} title="Not started" />
        <DialogButtons
          submit="Confirm and enroll"
          busy={enroll.isPending}
          busyLabel="Starting…"
          onCancel={onClose}
        />
      </form>
    );

  return (
    <form
      className="form form-wide"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {mode === 'add' && (
        <fieldset className="fieldset">
          <legend>Host</legend>
          <TextField
            id={`${id}-name`}
            label="Name"
            value={form.name}
            error={errors.name ?? apiField('name')}
            onChange={(name) => set({ name })}
          />
          <SelectField
            id={`${id}-cluster`}
            label="Cluster"
            value={form.clusterId}
            placeholder="Choose…"
            options={[...clusters.entries()].map(([value, label]) => ({ value, label }))}
            error={errors.clusterId ?? apiField('clusterId')}
            onChange={(clusterId) => set({ clusterId })}
          />
          <TextField
            id={`${id}-address`}
            label="Address"
            value={form.address}
            placeholder="192.0.2.10 or host.example.org"
            error={errors.address ?? apiField('address')}
            onChange={(address) => set({ address })}
          />
        </fieldset>
      )}
      <fieldset className="fieldset">
        <legend>SSH login (used once, never stored)</legend>
        <NumberField
          id={`${id}-port`}
          label="SSH port"
          value={form.sshPort}
          error={errors.sshPort ?? apiField('sshPort')}
          onChange={(sshPort) => set({ sshPort })}
        />
        <TextField
          id={`${id}-user`}
          label="SSH user"
          value={form.sshUser}
          error={errors.sshUser ?? apiField('sshUser')}
          onChange={(sshUser) => set({ sshUser })}
        />
        <SelectField
          id={`${id}-auth`}
          label="Authentication"
          value={form.auth}
          options={[
            { value: 'password', label: 'Password' },
            { value: 'key', label: 'Private key' },
          ]}
          onChange={(auth) => set({ auth: auth || 'password' })}
        />
        {form.auth === 'password' ? (
          <TextField
            id={`${id}-password`}
            label="Password"
            type="password"
            autoComplete="off"
            value={form.password}
            error={errors.password ?? apiField('password')}
            onChange={(password) => set({ password })}
          />
        ) : (
          <>
            <TextField
              id={`${id}-key`}
              label="Private key"
              rows={5}
              value={form.privateKey}
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              error={errors.privateKey ?? apiField('privateKey')}
              onChange={(privateKey) => set({ privateKey })}
            />
            <TextField
              id={`${id}-passphrase`}
              label="Key passphrase (if any)"
              type="password"
              autoComplete="off"
              value={form.passphrase}
              onChange={(passphrase) => set({ passphrase })}
            />
          </>
        )}
      </fieldset>
      <ErrorBox error={apiError} title="Not started" />
      <DialogButtons
        submit={mode === 'add' ? 'Connect' : 'Reinstall'}
        busy={enroll.isPending}
        busyLabel="Connecting…"
        onCancel={onClose}
      />
    </form>
  );
}

/** The enrollment task's steps as they happen, then the outcome (the failed step and what to fix). */
function EnrollProgress({ taskId, onClose }: { taskId: string; onClose: () => void }) {
  const task = useQuery({
    queryKey: keys.detail('tasks', taskId),
    queryFn: () => fetchItem<Task>('tasks', taskId),
    refetchInterval: (q) =>
      q.state.data && FINAL_TASK_STATUSES.includes(q.state.data.status) ? false : 1000,
  }).data;
  const failure = task ? failureText(task) : null;
  return (
    <div className="form form-wide">
      <p>
        Enrollment {task ? <StatusBadge status={task.status} /> : '…'}
        {task?.progressMessage && <span className="muted small"> {task.progressMessage}</span>}
      </p>
      <ol className="step-list" aria-label="Enrollment steps">
        {(task?.steps ?? []).map((s) => (
          <li key={s.name}>
            <StatusBadge status={STEP_BADGE[s.status]} /> <span className="strong">{stepLabel(s)}</span>
            {s.message && <span className="muted small"> — {s.message}</span>}
          </li>
        ))}
      </ol>
      {failure && (
        <div className="notice" role="alert">
          Enrollment failed at {failure}
        </div>
      )}
      {task?.status === 'succeeded' && <p role="status">The host is enrolled and its agent reported in.</p>}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
