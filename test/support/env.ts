import { randomBytes } from 'node:crypto';

/** Integration tests use the local services unless told otherwise. */
process.env.KELPIE_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.KELPIE_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
/** The API token every engine a test starts gives its first admin (KELPIE_BOOTSTRAP_TOKEN); the
 * helpers send it unless a test says otherwise. One per jest worker, never a fixed value. */
process.env.KELPIE_TEST_ADMIN_TOKEN ??= `kelpie_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;
