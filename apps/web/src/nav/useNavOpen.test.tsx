import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { NAV_COLLAPSE_BELOW, useNavOpen } from './useNavOpen';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

function Toggle() {
  const [open, toggle] = useNavOpen();
  return (
    <button type="button" aria-expanded={open} onClick={toggle}>
      Navigation
    </button>
  );
}

const setWidth = (w: number) => Object.defineProperty(window, 'innerWidth', { configurable: true, value: w });

it('starts collapsed on a 1024 px window and open on a wide one', () => {
  setWidth(1024);
  render(<Toggle />);
  expect(screen.getByRole('button').getAttribute('aria-expanded')).toBe('false');
  cleanup();
  setWidth(NAV_COLLAPSE_BELOW);
  render(<Toggle />);
  expect(screen.getByRole('button').getAttribute('aria-expanded')).toBe('true');
});

it("keeps the person's choice over the window width", () => {
  setWidth(1600);
  render(<Toggle />);
  fireEvent.click(screen.getByRole('button'));
  expect(screen.getByRole('button').getAttribute('aria-expanded')).toBe('false');
  cleanup();
  render(<Toggle />);
  expect(screen.getByRole('button').getAttribute('aria-expanded')).toBe('false');
});
