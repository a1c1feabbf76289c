import { randomBytes } from 'node:crypto';

/** The API token every engine a test or benchmark starts gives its first admin
 * (KELPIE_BOOTSTRAP_TOKEN); the helpers send it unless told otherwise. One per process (jest
 * worker), never a fixed value. */
export function adminToken(): string {
  process.env.KELPIE_TEST_ADMIN_TOKEN ??= `kelpie_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  return process.env.KELPIE_TEST_ADMIN_TOKEN;
}

/** `Authorization` for `token` (the admin's by default); `null`: anonymous. */
export function authHeaders(token: string | null = adminToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Engine settings that give it the test admin. */
export function authEnv(): Record<string, string> {
  return { KELPIE_BOOTSTRAP_TOKEN: adminToken() };
}
