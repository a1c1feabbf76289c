// A real OpenID Connect provider (the `oidc-provider` package) for the tests, run as a child process
// (it is an ES module; jest runs CommonJS). Its users and their groups are read from the JSON file
// OIDC_USERS_FILE at each token request, so a test can move a user out of a group between logins.
// The login and consent pages are the package's development interactions (any password is taken).
// Prints one JSON line {"issuer": "..."} once it listens on 127.0.0.1 (OIDC_PORT, 0: any free port).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { OIDC_USERS_FILE, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
const users = () => JSON.parse(readFileSync(OIDC_USERS_FILE, 'utf8'));

const server = createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'groups'],
  pkce: { required: () => true },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  jwks: {
    keys: [
      {
        ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        use: 'sig',
        kid: 'test',
      },
    ],
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const user = users()[id];
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...user }) };
  },
});
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
