import { useEffect, useRef, useState } from 'react';

/** A search box that reports its value after the user pauses typing (one request, not one per key). */
export function SearchInput({
  label,
  value,
  onChange,
  delayMs = 300,
  placeholder = 'Search…',
}: {
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  delayMs?: number;
  placeholder?: string;
}) {
  const [text, setText] = useState(value ?? '');
  const report = useRef(onChange);
  useEffect(() => {
    report.current = onChange;
  });
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    if ((value ?? '') === text) return;
    const t = setTimeout(() => report.current(text || undefined), delayMs);
    return () => clearTimeout(t);
  }, [text, value, delayMs]);
  return (
    <input
      type="search"
      aria-label={label}
      placeholder={placeholder}
      value={text}
      maxLength={64}
      onChange={(e) => setText(e.target.value)}
    />
  );
}
