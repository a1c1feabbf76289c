/** Integration tests use the local services unless told otherwise. */
process.env.KELPIE_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.KELPIE_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
