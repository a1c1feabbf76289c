import { ApiError, errorMessage } from '../api/client';
import { fieldLabel, humanizeApiText } from '../text/humanize';

export interface FormErrors {
  /** field → reason(s) shown next to that field. */
  fields: Record<string, string>;
  /** Shown above the form: the API's message when no field explains it, plus reasons of unknown fields. */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/** Maps an API error (`{code, message, details:[{field, reason}]}`) onto the form's fields;
 * `aliases` names the form field of nested API fields (e.g. `disks[0].sizeGiB` → `diskSizeGiB`). */
export function formErrors(
  err: unknown,
  knownFields: readonly string[],
  aliases: Record<string, string> = {},
): FormErrors {
  if (!err) return NO_ERRORS;
  if (!(err instanceof ApiError) || !err.body) return { fields: {}, form: errorMessage(err) };
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const d of err.body.details ?? []) {
    const field =
      (d.field && aliases[d.field]) ||
      (d.field && knownFields.find((f) => d.field === f || d.field!.startsWith(`${f}.`)));
    const reason = humanizeApiText(d.reason);
    if (field) fields[field] = fields[field] ? `${fields[field]}; ${reason}` : reason;
    else other.push(d.field ? `${fieldLabel(d.field)}: ${reason}` : reason);
  }
  const hasFields = Object.keys(fields).length > 0;
  const message = humanizeApiText(err.body.message);
  const form = other.length ? `${message}: ${other.join('; ')}` : hasFields ? null : message;
  return { fields, form };
}
