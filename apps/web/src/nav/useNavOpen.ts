import { useCallback, useState } from 'react';

const KEY = 'kelpie.nav-open';
/** Below this window width the navigation starts collapsed: at 1024×768 the lists need the room. */
export const NAV_COLLAPSE_BELOW = 1200;

function initial(): boolean {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved === 'true' || saved === 'false') return saved === 'true';
  } catch {
    // Storage refused (private mode): fall back to the window width.
  }
  return window.innerWidth >= NAV_COLLAPSE_BELOW;
}

/** Whether the side navigation is shown; the person's last choice is kept in this browser. */
export function useNavOpen(): [boolean, () => void] {
  const [open, setOpen] = useState(initial);
  const toggle = useCallback(() => {
    setOpen((o) => {
      try {
        window.localStorage.setItem(KEY, String(!o));
      } catch {
        // Not kept; it still toggles for this page.
      }
      return !o;
    });
  }, []);
  return [open, toggle];
}
