import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { RowMenu } from './RowMenu';

afterEach(cleanup);

function mount() {
  const chosen = vi.fn();
  render(
    <>
      <button type="button">before</button>
      <RowMenu
        label="Actions for prod"
        items={[
          { label: 'Edit…', onSelect: () => chosen('edit') },
          { label: 'Locked', onSelect: () => chosen('locked'), disabledReason: 'not allowed' },
          { label: 'Delete…', danger: true, onSelect: () => chosen('delete') },
        ]}
      />
    </>,
  );
  return { chosen, button: screen.getByRole('button', { name: 'Actions for prod' }) };
}
const focused = () => (document.activeElement as HTMLElement | null)?.textContent;

it('is a menu button: closed, then open with focus on the first item, and aria-expanded tells which', () => {
  const { button } = mount();
  expect(button.getAttribute('aria-haspopup')).toBe('menu');
  expect(button.getAttribute('aria-expanded')).toBe('false');
  expect(screen.queryByRole('menu')).toBeNull();
  fireEvent.click(button);
  const menu = screen.getByRole('menu', { name: 'Actions for prod' });
  expect(button.getAttribute('aria-expanded')).toBe('true');
  expect(button.getAttribute('aria-controls')).toBe(menu.id);
  expect(screen.getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Edit…', 'Locked', 'Delete…']);
  expect(focused()).toBe('Edit…');
  // A second click closes it.
  fireEvent.click(button);
  expect(screen.queryByRole('menu')).toBeNull();
});

it('is keyboard operable: arrows skip the disabled item and wrap, Home/End, Escape gives focus back', () => {
  const { button, chosen } = mount();
  button.focus();
  fireEvent.keyDown(button, { key: 'ArrowUp' });
  expect(focused()).toBe('Delete…');
  const menu = screen.getByRole('menu');
  fireEvent.keyDown(menu, { key: 'ArrowDown' });
  expect(focused()).toBe('Edit…');
  fireEvent.keyDown(menu, { key: 'ArrowDown' });
  expect(focused()).toBe('Delete…');
  fireEvent.keyDown(menu, { key: 'Home' });
  expect(focused()).toBe('Edit…');
  fireEvent.keyDown(menu, { key: 'End' });
  expect(focused()).toBe('Delete…');
  fireEvent.keyDown(menu, { key: 'Escape' });
  expect(screen.queryByRole('menu')).toBeNull();
  expect(document.activeElement).toBe(button);
  expect(chosen).not.toHaveBeenCalled();
  // ArrowDown on the button opens it at the first item.
  fireEvent.keyDown(button, { key: 'ArrowDown' });
  expect(focused()).toBe('Edit…');
});

it('choosing an item closes the menu, runs it and leaves focus on the button; disabled items say why', () => {
  const { button, chosen } = mount();
  fireEvent.click(button);
  const locked = screen.getByRole('menuitem', { name: 'Locked' }) as HTMLButtonElement;
  expect(locked.disabled).toBe(true);
  expect(locked.title).toBe('not allowed');
  fireEvent.click(screen.getByRole('menuitem', { name: 'Delete…' }));
  expect(chosen).toHaveBeenCalledWith('delete');
  expect(screen.queryByRole('menu')).toBeNull();
  expect(document.activeElement).toBe(button);
});

it('closes on a click elsewhere and on Tab', () => {
  const { button } = mount();
  fireEvent.click(button);
  fireEvent.mouseDown(screen.getByRole('button', { name: 'before' }));
  expect(screen.queryByRole('menu')).toBeNull();
  fireEvent.click(button);
  fireEvent.keyDown(screen.getByRole('menu'), { key: 'Tab' });
  expect(screen.queryByRole('menu')).toBeNull();
});
