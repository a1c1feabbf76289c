/** How a status reads inside a sentence meant for people ("host h1 is in maintenance"): never the raw
 * enum value ("is maintenance", "is preparing_for_maintenance"). The engine's messages and the
 * portal's labels both use it, so they say the same thing. */
const PHRASES: Record<string, string> = {
  maintenance: 'in maintenance',
  preparing_for_maintenance: 'preparing for maintenance',
  non_responsive: 'not responding',
  non_operational: 'not operational',
  installing: 'being installed',
  error: 'in error',
  reboot_in_progress: 'rebooting',
  migrating_from: 'migrating to another host',
  migrating_to: 'arriving by migration',
  unknown: 'in an unknown state',
};

export function statusPhrase(status: string): string {
  return PHRASES[status] ?? status.replace(/_/g, ' ');
}
