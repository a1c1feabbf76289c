import type { StorageDomain } from '@kelpie/shared-types';
import type { ReactNode } from 'react';
import { FieldError, invalidProps } from '../forms/FieldError';
import type { CloudInitField, CloudInitValues } from './cloudInitForm';

interface Props {
  values: CloudInitValues;
  onChange(patch: Partial<CloudInitValues>): void;
  errors: Record<string, string>;
  /** Storage domains of the VM's datacenter (where the seed ISO may go). */
  domains: StorageDomain[];
}

type TextKey = {
  [K in keyof CloudInitValues]: CloudInitValues[K] extends string ? K : never;
}[keyof CloudInitValues];

/** The wizard's optional cloud-init section: typed fields or a raw #cloud-config document. */
export function CloudInitSection({ values, onChange, errors, domains }: Props) {
  const text = (key: TextKey, field: CloudInitField) => ({
    id: `vm-${field}`,
    name: field,
    value: values[key],
    onChange: (e: { target: { value: string } }) => onChange({ [key]: e.target.value }),
    ...invalidProps(`vm-${field}`, errors[field]),
  });
  const field = (f: CloudInitField, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`vm-${f}`}>{label}</label>
      {input}
      {hint && <div className="hint">{hint}</div>}
      <FieldError id={`vm-${f}-error`} message={errors[f]} />
    </div>
  );

  return (
    <fieldset className="fieldset">
      <legend>Cloud-init</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={values.enabled}
          onChange={(e) => onChange({ enabled: e.target.checked })}
        />
        Configure the guest with cloud-init (a NoCloud seed ISO in a CD-ROM drive)
      </label>
      {values.enabled && (
        <>
          {field(
            'ciHostname',
            'Hostname',
            <input {...text('hostname', 'ciHostname')} autoComplete="off" />,
            'Default: the VM name.',
          )}
          <div className="check-row" role="radiogroup" aria-label="Cloud-init configuration">
            <label className="check">
              <input
                type="radio"
                name="ciMode"
                checked={values.mode === 'fields'}
                onChange={() => onChange({ mode: 'fields' })}
              />
              Users, keys and packages
            </label>
            <label className="check">
              <input
                type="radio"
                name="ciMode"
                checked={values.mode === 'raw'}
                onChange={() => onChange({ mode: 'raw' })}
              />
              A #cloud-config document
            </label>
          </div>
          {values.mode === 'fields' ? (
            <>
              {field(
                'ciSshKeys',
                'SSH keys of the default user',
                <textarea {...text('sshKeys', 'ciSshKeys')} rows={3} spellCheck={false} className="mono" />,
                'OpenSSH public keys, one per line.',
              )}
              <div className="field-row">
                {field(
                  'ciUserName',
                  'Extra user',
                  <input {...text('userName', 'ciUserName')} autoComplete="off" />,
                )}
                <div className="field field-check">
                  <label className="check">
                    <input
                      type="checkbox"
                      name="ciUserSudo"
                      checked={values.userSudo}
                      onChange={(e) => onChange({ userSudo: e.target.checked })}
                      {...invalidProps('vm-ciUserSudo', errors.ciUserSudo)}
                    />
                    Passwordless sudo
                  </label>
                  <FieldError id="vm-ciUserSudo-error" message={errors.ciUserSudo} />
                </div>
              </div>
              {field(
                'ciUserKeys',
                'SSH keys of the extra user',
                <textarea {...text('userKeys', 'ciUserKeys')} rows={2} spellCheck={false} className="mono" />,
                'One per line.',
              )}
              {field(
                'ciPackages',
                'Packages',
                <input {...text('packages', 'ciPackages')} autoComplete="off" />,
                'Installed at first boot; separated by spaces or commas.',
              )}
              {field(
                'ciRuncmd',
                'Commands at first boot',
                <textarea {...text('runcmd', 'ciRuncmd')} rows={3} spellCheck={false} className="mono" />,
                'One shell command per line (runcmd).',
              )}
            </>
          ) : (
            field(
              'ciUserData',
              'Cloud-config document',
              <textarea
                {...text('userData', 'ciUserData')}
                rows={8}
                spellCheck={false}
                className="mono"
                placeholder={'#cloud-config\npackages:\n  - qemu-guest-agent\n'}
              />,
              'Complete user-data starting with a “#cloud-config” line.',
            )
          )}
          {field(
            'ciStorageDomainId',
            'Seed ISO storage domain',
            <select {...text('storageDomainId', 'ciStorageDomainId')}>
              <option value="">Beside the VM’s first disk</option>
              {domains.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>,
          )}
        </>
      )}
    </fieldset>
  );
}
