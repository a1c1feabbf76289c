import { fireEvent, screen } from '@testing-library/react';

/** For dialog tests: types `value` into the control labelled `label`. */
export const typeInto = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** `'true'` when the control labelled `label` is marked invalid (its error shown beside it). */
export const invalidOf = (label: string | RegExp) =>
  screen.getByLabelText(label).getAttribute('aria-invalid');
