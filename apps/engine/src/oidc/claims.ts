import type { LoginClaims } from './oidc-client';

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** The Kelpie username of a provider's user: the configured claim (preferred_username by default),
 * else the email, else the subject; characters a username may not hold become "_". */
export function usernameFrom(claims: LoginClaims, claim: string): string {
  const candidate = [claims[claim], claims.email, claims.sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  )!;
  const name = candidate.trim();
  return USERNAME.test(name) ? name : name.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 64);
}

export function displayNameFrom(claims: LoginClaims): string | null {
  return typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 128) : null;
}

/** The group names in the groups claim: an array of strings (most providers) or one string; group
 * paths some providers send ("/ops") count by their last segment too. */
export function groupsFrom(claims: LoginClaims, claim: string): Set<string> {
  const raw = claims[claim];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const names = new Set<string>();
  for (const g of list) {
    if (typeof g !== 'string' || !g) continue;
    names.add(g);
    if (g.includes('/')) names.add(g.slice(g.lastIndexOf('/') + 1));
  }
  return names;
}
