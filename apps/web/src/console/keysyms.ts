/** X11 keysym of a character for typing text into a VNC guest, or null when it has none here.
 * Latin-1 printable characters are their own keysym; Unicode above that is 0x01000000 + code. */
export function keysymOf(ch: string): number | null {
  const code = ch.codePointAt(0);
  if (code === undefined) return null;
  if (ch === '\n' || ch === '\r') return 0xff0d; // Return
  if (ch === '\t') return 0xff09; // Tab
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  if (code > 0xff && code <= 0x10ffff) return 0x01000000 + code;
  return null;
}
