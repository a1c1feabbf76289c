import type { Cluster, Vm } from '@kelpie/shared-types';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { apiSend } from '../api/client';
import { usePage } from '../api/hooks';
import { useActivity } from '../activity/Activity';
import { formErrors, NO_ERRORS, type FormErrors } from '../forms/fieldErrors';

const FIELDS = ['clusterId', 'name', 'vcpus', 'memoryMib', 'description'] as const;
type Field = (typeof FIELDS)[number];

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <div id={id} className="field-error" role="alert">
      {message}
    </div>
  ) : null;
}

/** The new VM form: the API validates; its 400 details appear next to their fields. */
export function VmNew() {
  const [params] = useSearchParams();
  const clusters = usePage<Cluster>('clusters', {}, 500);
  const [values, setValues] = useState<Record<Field, string>>({
    clusterId: params.get('clusterId') ?? '',
    name: '',
    vcpus: '1',
    memoryMib: '1024',
    description: '',
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const { track } = useActivity();
  const clusterId = values.clusterId || clusters.data?.items[0]?.id || '';

  const bind = (f: Field) => ({
    id: `vm-${f}`,
    name: f,
    value: f === 'clusterId' ? clusterId : values[f],
    'aria-invalid': errors.fields[f] ? true : undefined,
    'aria-describedby': errors.fields[f] ? `vm-${f}-error` : undefined,
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f]: e.target.value })),
  });

  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    const body = {
      clusterId,
      name: values.name.trim(),
      vcpus: num(values.vcpus),
      memoryMib: num(values.memoryMib),
      ...(values.description ? { description: values.description } : {}),
    };
    try {
      const res = await apiSend<Vm>('POST', '/vms', body);
      void track(`Create VM ${res.body.name}`, () => Promise.resolve(res)).catch(() => undefined);
      void navigate('/vms');
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page" aria-labelledby="new-vm-title">
      <header className="page-head">
        <h1 id="new-vm-title">New virtual machine</h1>
      </header>
      <form className="form panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-vm-title">
        {errors.form && (
          <div className="error-box" role="alert">
            {errors.form}
          </div>
        )}
        <div className="field">
          <label htmlFor="vm-clusterId">Cluster</label>
          <select {...bind('clusterId')} required>
            {clusters.data?.items.length === 0 && <option value="">No clusters yet</option>}
            {clusters.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <FieldError id="vm-clusterId-error" message={errors.fields.clusterId} />
        </div>
        <div className="field">
          <label htmlFor="vm-name">Name</label>
          <input {...bind('name')} required maxLength={64} autoComplete="off" />
          <div className="hint">1–64 letters, digits, “_”, “.” or “-”.</div>
          <FieldError id="vm-name-error" message={errors.fields.name} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="vm-vcpus">vCPUs</label>
            <input {...bind('vcpus')} type="number" min={1} max={512} inputMode="numeric" />
            <FieldError id="vm-vcpus-error" message={errors.fields.vcpus} />
          </div>
          <div className="field">
            <label htmlFor="vm-memoryMib">Memory (MiB)</label>
            <input {...bind('memoryMib')} type="number" min={16} step={256} inputMode="numeric" />
            <FieldError id="vm-memoryMib-error" message={errors.fields.memoryMib} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="vm-description">Description</label>
          <textarea {...bind('description')} rows={3} maxLength={1024} />
          <FieldError id="vm-description-error" message={errors.fields.description} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create VM'}
          </button>
          <button type="button" className="button" onClick={() => void navigate(-1)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
