import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';
import { formErrors, type FormErrors } from '../forms/fieldErrors';

/**
 * A dialog form: sends on submit, stays open with the API's reasons beside
 * their fields (`fields` names the form's fields) or above the buttons, closes on success. Busy and
 * error are the state of a react-query mutation (pass a `useApiMutation`'s `mutateAsync`).
 */
export function FormDialog({
  title,
  submit,
  fields,
  onSubmit,
  onClose,
  children,
  wide,
}: {
  title: string;
  submit: string;
  fields: readonly string[];
  onSubmit: () => Promise<unknown>;
  onClose: () => void;
  children: (errors: FormErrors['fields']) => ReactNode;
  wide?: boolean;
}) {
  const sending = useMutation({ mutationFn: onSubmit, onSuccess: onClose });
  const errors: FormErrors = formErrors(sending.error, fields);
  return (
    <Dialog title={title} onClose={onClose} wide={wide}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          sending.mutate();
        }}
      >
        {children(errors.fields)}
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        <DialogButtons submit={submit} busy={sending.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
