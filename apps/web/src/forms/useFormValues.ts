import { useState } from 'react';

/** A form's values as one object, and `set(field)` giving each input its change handler. */
export function useFormValues<V extends object>(init: () => V) {
  const [v, setV] = useState<V>(init);
  const set =
    <K extends keyof V>(k: K) =>
    (value: V[K]) =>
      setV((o) => ({ ...o, [k]: value }));
  return [v, set, setV] as const;
}
