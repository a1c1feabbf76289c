import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProviderUser {
  preferred_username: string;
  name?: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  /** The client's secret in a 0600 file, as the engine requires it. */
  clientSecretFile: string;
  /** Replaces the provider's users (read again at each login). */
  setUsers(users: Record<string, ProviderUser>): void;
  stop(): void;
}

/** Starts test/support/oidc-idp-server.mjs (a real `oidc-provider`) on a free port of 127.0.0.1.
 * `users`: the provider's users from the start (`setUsers` replaces them later). */
export async function startTestProvider(client: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  users?: Record<string, ProviderUser>;
}): Promise<TestProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-idp-'));
  const usersFile = join(dir, 'users.json');
  const setUsers = (users: Record<string, ProviderUser>) => writeFileSync(usersFile, JSON.stringify(users));
  setUsers(client.users ?? {});
  const clientSecretFile = join(dir, 'client-secret');
  writeFileSync(clientSecretFile, `${client.clientSecret}\n`);
  chmodSync(clientSecretFile, 0o600);
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-idp-server.mjs')], {
    env: {
      ...process.env,
      OIDC_USERS_FILE: usersFile,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
      OIDC_REDIRECT_URI: client.redirectUri,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { issuer: string }).issuer);
    });
    child.on('exit', (code) => reject(new Error(`the test OIDC provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientSecretFile,
    setUsers,
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const TEST_CLIENT_SECRET = 'a-long-client-secret-for-the-test-provider';

/** A provider with the client `kelpie`, and the engine settings that point at it (the provider's
 * button reads "Test IdP"). */
export async function startProviderFor(opts: {
  redirectUri: string;
  groupRoles: string;
  users?: Record<string, ProviderUser>;
}): Promise<{ idp: TestProvider; engineEnv: Record<string, string> }> {
  const idp = await startTestProvider({
    clientId: 'kelpie',
    clientSecret: TEST_CLIENT_SECRET,
    redirectUri: opts.redirectUri,
    users: opts.users,
  });
  const engineEnv = {
    KELPIE_OIDC_ISSUER: idp.issuer,
    KELPIE_OIDC_CLIENT_ID: 'kelpie',
    KELPIE_OIDC_CLIENT_SECRET_FILE: idp.clientSecretFile,
    KELPIE_OIDC_REDIRECT_URI: opts.redirectUri,
    KELPIE_OIDC_SCOPES: 'openid profile groups',
    KELPIE_OIDC_PROVIDER_NAME: 'Test IdP',
    KELPIE_OIDC_GROUP_ROLES: opts.groupRoles,
  };
  return { idp, engineEnv };
}

/** The cookies a browser keeps for one site (enough for the provider's interaction cookies). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
      if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
