import type { ReactNode } from 'react';
import type { FormErrors } from '../forms/fieldErrors';
import { TextField } from '../forms/fields';
import { DatacenterField } from './DatacenterField';

interface General {
  name: string;
  datacenterId: string;
  description: string;
}

/** The General fieldset of an inventory object's dialog: its name, its datacenter (chosen only when
 * it is created), its description, then the object's own fields (`children`). */
export function GeneralFields<V extends General>({
  id,
  v,
  errors,
  creating,
  set,
  descriptionRows,
  children,
}: {
  id: string;
  v: V;
  errors: FormErrors['fields'];
  creating: boolean;
  set: (k: keyof General) => (value: string) => void;
  descriptionRows?: number;
  children?: ReactNode;
}) {
  return (
    <fieldset className="fieldset">
      <legend>General</legend>
      <TextField id={`${id}-name`} label="Name" value={v.name} error={errors.name} onChange={set('name')} />
      {creating && (
        <DatacenterField
          id={`${id}-dc`}
          value={v.datacenterId}
          error={errors.datacenterId}
          onChange={set('datacenterId')}
        />
      )}
      <TextField
        id={`${id}-description`}
        label="Description"
        value={v.description}
        rows={descriptionRows}
        error={errors.description}
        onChange={set('description')}
      />
      {children}
    </fieldset>
  );
}
