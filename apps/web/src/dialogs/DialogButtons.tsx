import type { ReactNode } from 'react';

/** A dialog form's submit button (disabled and relabelled while it works) and Cancel. */
export function DialogButtons({
  submit,
  busy,
  busyLabel = 'Working…',
  danger,
  disabled,
  onCancel,
}: {
  submit: ReactNode;
  busy?: boolean;
  busyLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className={`button ${danger ? 'danger' : 'primary'}`} disabled={busy || disabled}>
        {busy ? busyLabel : submit}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
