import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A refused form's summary at its top: the reason, then one link per field error (to the field, named
 * by its label). It takes the focus whenever the errors change, so a keyboard or screen-reader user
 * lands on it instead of on a submit button far below, and it is scrolled into view.
 */
export function ErrorSummary({
  title,
  message,
  fields,
  idOf,
  children,
}: {
  title: string;
  message: string | null;
  fields: Record<string, string>;
  /** The input id of a field (its `<label for>` names it in the list). */
  idOf: (field: string) => string;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const entries = Object.entries(fields);
  const key = `${message ?? ''}|${entries.map(([f, r]) => `${f}:${r}`).join('|')}`;
  useEffect(() => {
    const found: Record<string, string> = {};
    for (const [f] of entries)
      found[f] = document.querySelector(`label[for="${idOf(f)}"]`)?.textContent?.trim() || f;
    setLabels(found);
    ref.current?.focus();
    ref.current?.scrollIntoView?.({ block: 'nearest' });
    // Once per distinct set of errors (key), not on every render.
  }, [key]);
  if (!message && !entries.length) return null;
  return (
    <div ref={ref} className="error-box error-summary" role="alert" tabIndex={-1} aria-label={title}>
      <strong>{title}</strong>
      {message && <div>{message}</div>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([f, reason]) => (
            <li key={f}>
              <a
                href={`#${idOf(f)}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(idOf(f))?.focus();
                }}
              >
                {labels[f] ?? f}
              </a>
              : {reason}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
