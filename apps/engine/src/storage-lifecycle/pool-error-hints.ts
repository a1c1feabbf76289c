/** libvirt's words for a pool that does not start or refresh, and what the admin can do about the
 * usual causes: the per-host status and the activate task then say what to fix, not only what broke. */
const HINTS: [RegExp, string][] = [
  [/Authentication failure/i, 'check the CHAP user and secret (connection.chapUser, connection.chapSecret)'],
  [
    /Authorization failure|not allowed|access denied/i,
    "the target does not grant this host's initiator name",
  ],
  [
    /Failed to connect|Connection refused|No route to host|timed out/i,
    'is the portal reachable from this host?',
  ],
];

export function withHint(error: string): string {
  const hint = HINTS.find(([re]) => re.test(error))?.[1];
  return hint ? `${error} (${hint})` : error;
}
