import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logger';
import type { AgentMetrics } from './agent-metrics';

export interface MetricsListen {
  host: string;
  port: number;
  /** Bearer token required when set. */
  token?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `GET /metrics` on the management address only (loopback by default): the agent has no other HTTP
 * surface, so this tiny server answers that one path and nothing else. A port already taken is a
 * warning, never a reason for the agent to stop managing its host.
 */
export async function startMetricsServer(
  metrics: AgentMetrics,
  listen: MetricsListen,
  log: Logger,
): Promise<Server | null> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (listen.token) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(digest(m[1]!), digest(listen.token))) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
    }
    metrics.registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body))
      .catch((e: Error) => res.writeHead(500).end(e.message));
  });
  return new Promise((resolve) => {
    server.once('error', (e: Error) => {
      log.warn({ err: e.message, ...listen, token: undefined }, 'metrics endpoint not started');
      resolve(null);
    });
    server.listen(listen.port, listen.host, () => {
      log.info({ host: listen.host, port: listen.port }, 'metrics endpoint listening');
      resolve(server);
    });
  });
}
