import type { Cluster, LogicalNetwork, StorageDomain, Task, Vm } from '@kelpie/shared-types';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { apiSend } from '../api/client';
import { usePage } from '../api/hooks';
import { useActivity } from '../activity/Activity';
import { formErrors, NO_ERRORS, type FormErrors } from '../forms/fieldErrors';

const FIELDS = [
  'clusterId',
  'name',
  'vcpus',
  'memoryMib',
  'description',
  'diskStorageDomainId',
  'diskSizeGiB',
  'nicNetworkId',
  'bootKind',
  'isoPath',
  'kernel',
  'initrd',
  'cmdline',
] as const;
type Field = (typeof FIELDS)[number];

/** API error fields (`disks[0].sizeGiB`, `boot.kernel`, …) → the form field showing them. */
const API_FIELD: Record<string, Field> = {
  'disks[0].storageDomainId': 'diskStorageDomainId',
  'disks.0.storageDomainId': 'diskStorageDomainId',
  'disks[0].sizeGiB': 'diskSizeGiB',
  'disks.0.sizeGiB': 'diskSizeGiB',
  'nics[0].networkId': 'nicNetworkId',
  'nics.0.networkId': 'nicNetworkId',
  'boot.kind': 'bootKind',
  'boot.isoPath': 'isoPath',
  'boot.kernel': 'kernel',
  'boot.initrd': 'initrd',
  'boot.cmdline': 'cmdline',
};

const isTask = (b: unknown): b is Task => !!b && typeof b === 'object' && 'progress' in b && 'type' in b;

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
  const domains = usePage<StorageDomain>('storage-domains', {}, 500);
  const networks = usePage<LogicalNetwork>('networks', {}, 500);
  const [values, setValues] = useState<Record<Field, string>>({
    clusterId: params.get('clusterId') ?? '',
    name: '',
    vcpus: '1',
    memoryMib: '1024',
    description: '',
    diskStorageDomainId: '',
    diskSizeGiB: '',
    nicNetworkId: '',
    bootKind: 'none',
    isoPath: '',
    kernel: '',
    initrd: '',
    cmdline: '',
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const { track } = useActivity();
  const clusterId = values.clusterId || clusters.data?.items[0]?.id || '';
  const datacenterId = clusters.data?.items.find((c) => c.id === clusterId)?.datacenterId;
  const dcDomains = (domains.data?.items ?? []).filter((d) => d.datacenterId === datacenterId);
  const dcNetworks = (networks.data?.items ?? []).filter((n) => n.datacenterId === datacenterId);

  const bind = (f: Field) => ({
    id: `vm-${f}`,
    name: f,
    value: f === 'clusterId' ? clusterId : values[f],
    'aria-invalid': errors.fields[f] ? true : undefined,
    'aria-describedby': errors.fields[f] ? `vm-${f}-error` : undefined,
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f]: e.target.value })),
  });

  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

  /** Disk, NIC and boot source: any of them makes the API provision the VM on a host (202 + task). */
  function provisioning(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (values.diskStorageDomainId || values.diskSizeGiB.trim())
      out.disks = [
        {
          storageDomainId: values.diskStorageDomainId,
          sizeGiB: num(values.diskSizeGiB),
          bootable: values.bootKind === 'disk',
        },
      ];
    if (values.nicNetworkId) out.nics = [{ networkId: values.nicNetworkId }];
    if (values.bootKind === 'disk') out.boot = { kind: 'disk' };
    else if (values.bootKind === 'cdrom') out.boot = { kind: 'cdrom', isoPath: values.isoPath.trim() };
    else if (values.bootKind === 'kernel')
      out.boot = {
        kind: 'kernel',
        kernel: values.kernel.trim(),
        initrd: values.initrd.trim(),
        ...(values.cmdline.trim() ? { cmdline: values.cmdline.trim() } : {}),
      };
    return out;
  }

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
      ...provisioning(),
    };
    try {
      const res = await apiSend<Vm | Task>('POST', '/vms', body);
      void track(`Create VM ${values.name.trim()}`, () => Promise.resolve(res)).catch(() => undefined);
      // Provisioning answers 202 with the vm.create task: follow it on the new VM's page. A
      // definition-only VM (201) goes back to the list, where it now appears.
      const vmId = isTask(res.body) ? res.body.target?.id : undefined;
      void navigate(vmId ? `/vms/${vmId}` : '/vms');
    } catch (err) {
      setErrors(formErrors(err, FIELDS, API_FIELD));
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
        <fieldset className="fieldset">
          <legend>Disk</legend>
          <div className="field-row">
            <div className="field">
              <label htmlFor="vm-diskStorageDomainId">Storage domain</label>
              <select {...bind('diskStorageDomainId')}>
                <option value="">No disk</option>
                {dcDomains.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
              <FieldError id="vm-diskStorageDomainId-error" message={errors.fields.diskStorageDomainId} />
            </div>
            <div className="field">
              <label htmlFor="vm-diskSizeGiB">Disk size (GiB)</label>
              <input {...bind('diskSizeGiB')} type="number" min={1} inputMode="numeric" />
              <FieldError id="vm-diskSizeGiB-error" message={errors.fields.diskSizeGiB} />
            </div>
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Network interface</legend>
          <div className="field">
            <label htmlFor="vm-nicNetworkId">Network</label>
            <select {...bind('nicNetworkId')}>
              <option value="">No NIC</option>
              {dcNetworks.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
            <FieldError id="vm-nicNetworkId-error" message={errors.fields.nicNetworkId} />
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Boot</legend>
          <div className="field">
            <label htmlFor="vm-bootKind">Boot source</label>
            <select {...bind('bootKind')}>
              <option value="none">Not yet (define only)</option>
              <option value="disk">Disk</option>
              <option value="cdrom">ISO image</option>
              <option value="kernel">Kernel and initrd</option>
            </select>
            <FieldError id="vm-bootKind-error" message={errors.fields.bootKind} />
          </div>
          {values.bootKind === 'cdrom' && (
            <div className="field">
              <label htmlFor="vm-isoPath">ISO path</label>
              <input {...bind('isoPath')} autoComplete="off" />
              <div className="hint">A file inside a storage domain of the datacenter.</div>
              <FieldError id="vm-isoPath-error" message={errors.fields.isoPath} />
            </div>
          )}
          {values.bootKind === 'kernel' && (
            <>
              <div className="field">
                <label htmlFor="vm-kernel">Kernel path</label>
                <input {...bind('kernel')} autoComplete="off" />
                <FieldError id="vm-kernel-error" message={errors.fields.kernel} />
              </div>
              <div className="field">
                <label htmlFor="vm-initrd">Initrd path</label>
                <input {...bind('initrd')} autoComplete="off" />
                <FieldError id="vm-initrd-error" message={errors.fields.initrd} />
              </div>
              <div className="field">
                <label htmlFor="vm-cmdline">Kernel command line</label>
                <input {...bind('cmdline')} autoComplete="off" />
                <FieldError id="vm-cmdline-error" message={errors.fields.cmdline} />
              </div>
            </>
          )}
        </fieldset>
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
