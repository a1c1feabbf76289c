import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface RowMenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  /** Why it cannot be chosen; the item shows disabled with this as its title. */
  disabledReason?: string | null;
}

/**
 * A row's actions behind one "Actions ▾" button (a WAI-ARIA menu button): the menu opens below the
 * button (drawn over the page, so a list's clipped cells do not cut it), focus goes to its first
 * item, ↑/↓/Home/End move, Escape and Tab close it, and focus comes back to the button when it closes
 * without a choice or when the chosen item opens a dialog (which gives focus back to it on close).
 */
export function RowMenu({ label, items }: { label: string; items: RowMenuItem[] }) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const enabled = () =>
    [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])].filter(
      (b) => !b.disabled,
    );
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  useLayoutEffect(() => {
    if (!open || !buttonRef.current) return;
    const r = buttonRef.current.getBoundingClientRect();
    setAt({ top: r.bottom + 4, right: window.innerWidth - r.right });
  }, [open]);

  useEffect(() => {
    if (!open || !at) return;
    const list = enabled();
    (open === 'last' ? list[list.length - 1] : list[0])?.focus();
    const outside = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    // The menu is placed where the button was: it closes when the page under it scrolls or resizes.
    const away = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    window.addEventListener('scroll', away, true);
    window.addEventListener('resize', away);
    return () => {
      document.removeEventListener('mousedown', outside);
      window.removeEventListener('scroll', away, true);
      window.removeEventListener('resize', away);
    };
  }, [open, at]);

  const onMenuKey = (e: KeyboardEvent) => {
    const list = enabled();
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      e.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(true);
    else if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button small"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={!!open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen('first'))}
        onKeyDown={onButtonKey}
      >
        Actions ▾
      </button>
      {open &&
        at &&
        createPortal(
          <ul
            id={menuId}
            ref={menuRef}
            role="menu"
            aria-label={label}
            className="menu row-menu"
            style={{ top: at.top, right: at.right }}
            onKeyDown={onMenuKey}
          >
            {items.map((item) => (
              <li key={item.label} role="none">
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={item.danger ? 'danger' : undefined}
                  disabled={!!item.disabledReason}
                  title={item.disabledReason ?? undefined}
                  onClick={() => {
                    close(true);
                    item.onSelect();
                  }}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>,
          document.body,
        )}
    </>
  );
}
