import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog>: focus moves into it (first field, else first button) and
 * returns to where it was on close; Esc closes it. `wide` for dialogs with tables.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide,
  describedBy,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const before = document.activeElement as HTMLElement | null;
    if (!d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', ''); // jsdom
    }
    const first =
      d.querySelector<HTMLElement>('[data-autofocus]') ??
      d.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea') ??
      d.querySelector<HTMLElement>('button:not([disabled])');
    first?.focus();
    return () => {
      if (d.open && typeof d.close === 'function') d.close();
      before?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(e) => {
        // Esc: React unmounts us (the effect cleanup closes the element).
        e.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          // A dialog opened over another (a confirmation) closes alone.
          e.stopPropagation();
          onCloseRef.current();
        }
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
