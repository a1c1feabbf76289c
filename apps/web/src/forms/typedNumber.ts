/** A number typed in a form field, as a number for the API; anything else is sent as typed so the
 * API refuses it with the field's name and reason (one place of truth for the rules). */
export const typedNumber = (s: string): number =>
  s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number);
