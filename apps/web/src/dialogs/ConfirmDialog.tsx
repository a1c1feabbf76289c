import { useMutation } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';

/** Asks before an action; runs it and shows the API's error inline (the dialog stays open on error);
 * busy and error are a react-query mutation's. */
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
  const sending = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  const msgId = useId();
  return (
    <Dialog title={title} onClose={onClose} describedBy={msgId}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          sending.mutate();
        }}
      >
        <div id={msgId}>{message}</div>
        <ErrorBox error={sending.error} />
        <DialogButtons submit={confirmLabel} busy={sending.isPending} danger={danger} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
