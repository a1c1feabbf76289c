import { freePort } from '@kelpie/test-support';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { docker, ensureLocalImages, useKelpieDocker } from './kelpie-docker';
import { untilPong } from './private-redis';

const IMAGE = 'kelpie-local/redis:test';

/**
 * A Redis of a test's own in a container started by testcontainers (the compose stack's Redis image,
 * from Debian's packages), on the host's network at a free port: engines and lab agents reach it as
 * they would a process. Killed (SIGKILL, as in a crash) and started again with its data (append-only
 * file, fsync on every write, in the container's own filesystem). For tests of the `containers`
 * project: the image is made there, not beside the lab tests (ADR 0064).
 */
export class ContainerRedis {
  private constructor(
    private readonly container: StartedTestContainer,
    readonly port: number,
  ) {}

  static async start(): Promise<ContainerRedis> {
    useKelpieDocker();
    await ensureLocalImages('ensure_redis_image');
    const port = await freePort();
    const container = await new GenericContainer(IMAGE)
      .withNetworkMode('host')
      .withCommand([
        'redis-server',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ])
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
      .start();
    return new ContainerRedis(container, port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGKILL to the server, as in a crash: the container stops, its data stays. */
  async kill(): Promise<void> {
    await docker('kill', '--signal', 'KILL', this.container.getId());
    await docker('wait', this.container.getId());
  }

  /** The same container started again after kill(): the server reloads its append-only file. */
  async start(): Promise<void> {
    await docker('start', this.container.getId());
    await untilPong(this.url, () => null);
  }

  /** Stops and removes the container with its data. */
  async close(): Promise<void> {
    await this.container.stop({ timeout: 0 });
  }
}
