import { useId, useState } from 'react';
import { ApiError } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';

/** Asks for a name (snapshot, clone, template…), sends it, and shows the API's 4xx message inline next
 * to the field (for a `name` field error) or above the buttons. */
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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const fieldError =
    error instanceof ApiError ? error.body?.details?.find((d) => d.field === 'name')?.reason : undefined;
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          onSubmit(name.trim()).then(onClose, (err: unknown) => {
            setError(err);
            setBusy(false);
          });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>{label}</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-err` : hint ? `${id}-hint` : undefined}
          />
          {hint && (
            <div className="hint" id={`${id}-hint`}>
              {hint}
            </div>
          )}
          {fieldError && (
            <div className="field-error" id={`${id}-err`} role="alert">
              {fieldError}
            </div>
          )}
        </div>
        {/* A refusal about the name is shown at the field; anything else above the buttons. */}
        {!fieldError && <ErrorBox error={error} />}
        <DialogButtons submit={submitLabel} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
