import type { ReactNode } from 'react';

/** A button that is disabled with its reason as its title and description; `showReason` also
 * prints it beside the button (page actions, where there is room). */
export function GuardedButton({
  reason,
  onClick,
  children,
  danger,
  small = true,
  showReason,
  label,
}: {
  reason: string | null;
  onClick: () => void;
  children: ReactNode;
  danger?: boolean;
  small?: boolean;
  showReason?: boolean;
  /** Accessible name when the visible text needs its context ("Remove" → "Remove disk1"). */
  label?: string;
}) {
  const button = (
    <button
      type="button"
      className={`button${small ? ' small' : ''}${danger ? ' danger' : ''}`}
      disabled={!!reason}
      title={reason ?? undefined}
      aria-description={reason ?? undefined}
      aria-label={label}
      onClick={onClick}
    >
      {children}
    </button>
  );
  if (!showReason || !reason) return button;
  return (
    <>
      <span className="muted small action-reason">{reason}</span>
      {button}
    </>
  );
}
