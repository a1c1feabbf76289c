import type { Cluster, LogicalNetwork, StorageDomain } from '@kelpie/shared-types';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { usePage } from '../api/hooks';
import { useActivity } from '../activity/Activity';
import { ErrorSummary } from '../forms/ErrorSummary';
import { IsoField } from '../storage/IsoField';
import { FieldError, invalidProps } from '../forms/FieldError';
import { NO_ERRORS, type FormErrors } from '../forms/fieldErrors';
import { CloudInitSection } from '../vms/CloudInitSection';
import { EMPTY_CLOUD_INIT, type CloudInitValues } from '../vms/cloudInitForm';
import { createVmApi } from '../vms/createVmApi';
import { createVm, waitForTask } from '../vms/createVmFlow';
import { HardwareSection } from '../vms/HardwareSection';
import { TemplateSection, useTemplates } from '../vms/TemplateSection';
import { EMPTY_VM, type VmField, type VmValues } from '../vms/vmRequest';

/** The new VM wizard: the API validates; its 400 details appear next to their fields. */
export function VmNew() {
  const [params] = useSearchParams();
  const clusters = usePage<Cluster>('clusters', {}, 500);
  const domains = usePage<StorageDomain>('storage-domains', {}, 500);
  const networks = usePage<LogicalNetwork>('networks', {}, 500);
  const [values, setValues] = useState<VmValues>({ ...EMPTY_VM, clusterId: params.get('clusterId') ?? '' });
  const [cloudInit, setCloudInit] = useState<CloudInitValues>(EMPTY_CLOUD_INIT);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [step, setStep] = useState<string | null>(null);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const navigate = useNavigate();
  const { track } = useActivity();
  const clusterId = values.clusterId || clusters.data?.items[0]?.id || '';
  const datacenterId = clusters.data?.items.find((c) => c.id === clusterId)?.datacenterId;
  const dcDomains = (domains.data?.items ?? []).filter((d) => d.datacenterId === datacenterId);
  const dcNetworks = (networks.data?.items ?? []).filter((n) => n.datacenterId === datacenterId);
  const templates = useTemplates(clusterId).data?.items;
  const templateId = values.templateId || templates?.[0]?.id || '';
  const fromTemplate = values.bootKind === 'template';

  const set = (patch: Partial<VmValues>) => setValues((v) => ({ ...v, ...patch }));
  const bind = (f: VmField) => ({
    id: `vm-${f}`,
    name: f,
    value: f === 'clusterId' ? clusterId : values[f],
    onChange: (e: { target: { value: string } }) => set({ [f]: e.target.value }),
    ...invalidProps(`vm-${f}`, errors.fields[f]),
  });
  const fieldError = (f: VmField) => <FieldError id={`vm-${f}-error`} message={errors.fields[f]} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors(NO_ERRORS);
    setStep('Sending…');
    const out = await createVm({ ...values, templateId }, clusterId, cloudInit, {
      ...createVmApi,
      show: (label, res) => void track(label, () => Promise.resolve(res)).catch(() => undefined),
      waitTask: (t) => waitForTask(t),
      onStep: setStep,
    }).catch((err: Error) => ({ created: false as const, errors: { fields: {}, form: err.message } }));
    setStep(null);
    if (out.created && !out.errors) return void navigate(`/vms/${out.vmId}`);
    if (out.created) setCreatedId(out.vmId);
    setErrors(out.errors ?? NO_ERRORS);
  }

  return (
    <section className="page" aria-labelledby="new-vm-title">
      <header className="page-head">
        <h1 id="new-vm-title">New virtual machine</h1>
      </header>
      <form
        className="form wizard panel"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-labelledby="new-vm-title"
      >
        <ErrorSummary
          title={createdId ? 'The VM was created with a problem' : 'The VM was not created'}
          message={errors.form}
          fields={errors.fields}
          idOf={(f) => `vm-${f}`}
        >
          {createdId && <Link to={`/vms/${createdId}`}>Open the new VM</Link>}
        </ErrorSummary>
        <div className="field-row">
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
            {fieldError('clusterId')}
          </div>
          <div className="field">
            <label htmlFor="vm-name">Name</label>
            <input {...bind('name')} required maxLength={64} autoComplete="off" />
            <div className="hint">1–64 letters, digits, “_”, “.” or “-”.</div>
            {fieldError('name')}
          </div>
        </div>
        <fieldset className="fieldset">
          <legend>Boot</legend>
          <div className="field">
            <label htmlFor="vm-bootKind">Boot source</label>
            <select {...bind('bootKind')}>
              <option value="none">Not yet (define only)</option>
              <option value="disk">Disk</option>
              <option value="cdrom">ISO image</option>
              <option value="kernel">Kernel and initrd</option>
              <option value="template">Template</option>
            </select>
            {fieldError('bootKind')}
          </div>
          {fromTemplate && (
            <TemplateSection
              templates={templates}
              templateId={templateId}
              cloneMode={values.cloneMode}
              onChange={set}
              errors={errors.fields}
            />
          )}
          {values.bootKind === 'cdrom' && (
            <IsoField
              id="vm-isoId"
              datacenterId={datacenterId}
              value={values.isoId}
              error={errors.fields.isoId}
              onChange={(isoId) => set({ isoId })}
            />
          )}
          {values.bootKind === 'kernel' && (
            <>
              <div className="field">
                <label htmlFor="vm-kernel">Kernel path</label>
                <input {...bind('kernel')} autoComplete="off" />
                {fieldError('kernel')}
              </div>
              <div className="field">
                <label htmlFor="vm-initrd">Initrd path</label>
                <input {...bind('initrd')} autoComplete="off" />
                {fieldError('initrd')}
              </div>
              <div className="field">
                <label htmlFor="vm-cmdline">Kernel command line</label>
                <input {...bind('cmdline')} autoComplete="off" />
                {fieldError('cmdline')}
              </div>
            </>
          )}
        </fieldset>
        {!fromTemplate && (
          <HardwareSection bind={bind} fieldError={fieldError} domains={dcDomains} networks={dcNetworks} />
        )}
        <CloudInitSection
          values={cloudInit}
          onChange={(patch) => setCloudInit((v) => ({ ...v, ...patch }))}
          errors={errors.fields}
          domains={dcDomains}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={!!step || !!createdId}>
            {step ? 'Creating…' : 'Create VM'}
          </button>
          <button type="button" className="button" onClick={() => void navigate(-1)}>
            Cancel
          </button>
          {step && (
            <span className="muted" role="status">
              {step}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
