import { DataSource, schemaDiff } from '@kelpie/engine/testing';
import { randomBytes } from 'node:crypto';
import {
  GenericContainer,
  Network,
  Wait,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import { ensureLocalImages, useKelpieDocker } from '../support/kelpie-docker';

/**
 * The schema migrations on every Postgres major Kelpie supports: 15 (Debian 12, the compose file's
 * image) and 17 (Debian 13). Each server is a container started by testcontainers from an image built
 * from that Debian release's own packages (scripts/lib/docker.sh: no registry serves images here), on
 * Kelpie's own Docker daemon; its reaper is off, the test stops what it starts.
 */
jest.setTimeout(900_000);

const MAJORS = [15, 17] as const;
useKelpieDocker();

let network: StartedNetwork;

beforeAll(async () => {
  await ensureLocalImages(...MAJORS.map((m) => `ensure_postgres_image ${m}`));
  // Kelpie's daemon has no default bridge (it must not touch the lab's networking): a network of the test's own.
  network = await new Network().start();
});

afterAll(async () => {
  await network?.stop().catch(() => undefined);
});

describe.each(MAJORS)('Postgres %i', (major) => {
  let pg: StartedTestContainer;
  const password = randomBytes(12).toString('hex');
  let url = '';

  beforeAll(async () => {
    pg = await new GenericContainer(`kelpie-local/postgres:${major}`)
      .withNetwork(network)
      .withEnvironment({ POSTGRES_PASSWORD: password })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/))
      .start();
    url = `postgres://postgres:${password}@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  });

  afterAll(async () => {
    await pg?.stop().catch(() => undefined);
  });

  it('is the major it claims, reached with a password', async () => {
    const ds = new DataSource({ type: 'postgres', url });
    await ds.initialize();
    try {
      const [{ server_version }] = (await ds.query('SHOW server_version')) as { server_version: string }[];
      expect(server_version.split('.')[0]).toBe(String(major));
    } finally {
      await ds.destroy();
    }
    const wrong = new DataSource({ type: 'postgres', url: url.replace(password, 'wrong-password') });
    await expect(wrong.initialize()).rejects.toThrow(/password authentication failed/);
  });

  it('runs every migration and ends with exactly the schema the entities declare', async () => {
    const diff = await schemaDiff(url);
    expect(diff.up).toEqual([]);
  });
});
