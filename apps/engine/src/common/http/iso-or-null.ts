/** A nullable timestamp column as the API answers it. */
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
