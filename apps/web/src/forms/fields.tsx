import type { ReactNode } from 'react';
import { FieldError } from './FieldError';

interface FieldProps {
  id: string;
  label: string;
  /** Shown under the control, announced, and linked to it (`aria-describedby`). */
  error?: string;
  /** Help under the control, linked to it too. */
  hint?: ReactNode;
}

export interface Option<V extends string> {
  value: V;
  label: string;
}

/** The ids an invalid or hinted control is described by. */
function describedBy({ id, error, hint }: FieldProps) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ids.join(' ') || undefined,
  } as const;
}

function Field({ id, label, error, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <div className="hint" id={`${id}-hint`} aria-live="polite">
          {hint}
        </div>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** A labelled `<select>`; `placeholder` is a first option with the empty value ("cluster policy",
 * "Loading…"). */
export function SelectField<V extends string>(
  props: FieldProps & {
    name?: string;
    value: '' | V;
    options: readonly Option<V>[];
    placeholder?: string;
    onChange: (value: '' | V) => void;
  },
) {
  const { id, name, value, options, placeholder, onChange } = props;
  return (
    <Field {...props}>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value as '' | V)}
        {...describedBy(props)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A labelled text input for a whole number, kept as typed (the form validates it). */
export function NumberField(
  props: FieldProps & {
    name?: string;
    value: string;
    placeholder?: string;
    onChange: (value: string) => void;
  },
) {
  const { id, name, value, placeholder, onChange } = props;
  return (
    <Field {...props}>
      <input
        id={id}
        name={name}
        inputMode="numeric"
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(props)}
      />
    </Field>
  );
}

/** A labelled text input (or a textarea with `rows`), `type="password"` for secrets. */
export function TextField(
  props: FieldProps & {
    name?: string;
    value: string;
    type?: 'text' | 'password';
    rows?: number;
    placeholder?: string;
    autoComplete?: string;
    onChange: (value: string) => void;
  },
) {
  const { id, name, value, type, rows, placeholder, autoComplete, onChange } = props;
  const common = { id, name, value, placeholder, autoComplete, ...describedBy(props) };
  return (
    <Field {...props}>
      {rows ? (
        <textarea {...common} rows={rows} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type ?? 'text'} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** A labelled checkbox (label after the box), with its hint and error linked like the other fields. */
export function CheckboxField(
  props: FieldProps & { name?: string; checked: boolean; onChange: (checked: boolean) => void },
) {
  const { id, name, label, checked, onChange, hint, error } = props;
  return (
    <div className="field field-check">
      <label htmlFor={id}>
        <input
          id={id}
          name={name}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          {...describedBy(props)}
        />{' '}
        {label}
      </label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
