import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { NumberField, SelectField } from './fields';

afterEach(cleanup);

it('labels a select, offers the placeholder first and reports the chosen value', () => {
  const onChange = vi.fn();
  render(
    <SelectField
      id="pc"
      label="Post-copy"
      value=""
      placeholder="cluster policy"
      options={[
        { value: 'on', label: 'on' },
        { value: 'off', label: 'off' },
      ]}
      onChange={onChange}
    />,
  );
  const select = screen.getByLabelText('Post-copy') as HTMLSelectElement;
  expect([...select.options].map((o) => [o.value, o.text])).toEqual([
    ['', 'cluster policy'],
    ['on', 'on'],
    ['off', 'off'],
  ]);
  expect(select.getAttribute('aria-invalid')).toBeNull();
  expect(select.getAttribute('aria-describedby')).toBeNull();
  fireEvent.change(select, { target: { value: 'off' } });
  expect(onChange).toHaveBeenCalledWith('off');
});

it('links the error and the hint to the select and marks it invalid', () => {
  render(
    <SelectField
      id="tpl"
      label="Template"
      value="a"
      options={[{ value: 'a', label: 'tpl-a' }]}
      hint="2 vCPUs"
      error="not a template"
      onChange={() => undefined}
    />,
  );
  const select = screen.getByRole('combobox', { name: 'Template' });
  expect(select.getAttribute('aria-invalid')).toBe('true');
  expect(select.getAttribute('aria-describedby')).toBe('tpl-hint tpl-error');
  expect(document.getElementById('tpl-hint')?.textContent).toBe('2 vCPUs');
  expect(screen.getByRole('alert').id).toBe('tpl-error');
  expect(screen.getByRole('alert').textContent).toBe('not a template');
});

it('labels a number input, keeps what was typed and shows its error', () => {
  const onChange = vi.fn();
  const { rerender } = render(
    <NumberField
      id="bw"
      label="Max bandwidth (MiB/s)"
      value=""
      placeholder="cluster policy"
      onChange={onChange}
    />,
  );
  const input = screen.getByRole('textbox', { name: 'Max bandwidth (MiB/s)' }) as HTMLInputElement;
  expect(input.inputMode).toBe('numeric');
  expect(input.placeholder).toBe('cluster policy');
  expect(screen.queryByRole('alert')).toBeNull();
  fireEvent.change(input, { target: { value: '4x' } });
  expect(onChange).toHaveBeenCalledWith('4x');
  rerender(
    <NumberField
      id="bw"
      label="Max bandwidth (MiB/s)"
      value="4x"
      error="must be a whole number"
      onChange={onChange}
    />,
  );
  expect(input.getAttribute('aria-invalid')).toBe('true');
  expect(input.getAttribute('aria-describedby')).toBe('bw-error');
  expect(screen.getByRole('alert').textContent).toBe('must be a whole number');
});
