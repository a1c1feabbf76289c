import { useId, useState, type ReactNode } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';

/** Asks before an action; runs it and shows the API's error inline (the dialog stays open on error). */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const msgId = useId();
  return (
    <Dialog title={title} onClose={onClose} describedBy={msgId}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          onConfirm().then(onClose, (err: unknown) => {
            setError(err);
            setBusy(false);
          });
        }}
      >
        <div id={msgId}>{message}</div>
        <ErrorBox error={error} />
        <DialogButtons submit={confirmLabel} busy={busy} danger={danger} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
