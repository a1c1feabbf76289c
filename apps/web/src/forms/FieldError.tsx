/** A field's error, announced and linked to its input through `aria-describedby={id}`. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <div id={id} className="field-error" role="alert">
      {message}
    </div>
  ) : null;
}

/** The accessibility attributes of an input whose error is shown by `<FieldError id={`${id}-error`}>`. */
export function invalidProps(id: string, message: string | undefined) {
  return {
    'aria-invalid': message ? true : undefined,
    'aria-describedby': message ? `${id}-error` : undefined,
  } as const;
}
