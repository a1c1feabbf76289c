import { useId, useState } from 'react';
import { TextField } from '../forms/fields';
import { FormDialog } from './FormDialog';

/** Asks for a name (snapshot, clone, template…), sends it, and shows the API's 4xx reason at the
 * field (for a `name` error) or above the buttons. */
export function NameDialog({
  title,
  label,
  initial,
  submitLabel,
  hint,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial: string;
  submitLabel: string;
  hint?: string;
  onSubmit: (name: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const id = useId();
  return (
    <FormDialog
      title={title}
      submit={submitLabel}
      fields={NAME_FIELD}
      onSubmit={() => onSubmit(name.trim())}
      onClose={onClose}
    >
      {(errors) => (
        <TextField
          id={`${id}-name`}
          label={label}
          value={name}
          hint={hint}
          error={errors.name}
          onChange={setName}
        />
      )}
    </FormDialog>
  );
}

const NAME_FIELD = ['name'] as const;
