import { CONSOLE_WS_PATH, ErrorCode } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { IncomingMessage, Server, STATUS_CODES } from 'node:http';
import { connect, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { Authenticator } from '../auth/authenticator';
import { assertSameOrigin } from '../auth/origin-check';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { VmRepository } from '../vms/vm.repository';
import { ConsoleTicketService, TICKET_PATTERN, TicketGrant } from './console-ticket.service';
import { CONSOLE_STATES } from './console.service';
import { acceptClientWithoutAuth, authenticateToServer } from './rfb';
import { handshakeStream, relay } from './ws-relay';

const CONNECT_TIMEOUT_MS = 5000;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The console WebSocket (`GET /api/v1/console/ws?vm=<id>&ticket=<ticket>`) on the engine's own
 * HTTP server. The ticket is validated and consumed before anything else happens; the target
 * (host address + port) comes from the inventory and the ticket's server-side grant, never from
 * the client. The backend connection is made and authenticated before the upgrade completes, so
 * every failure is an HTTP status on the upgrade request. Then bytes flow both ways as binary
 * frames, with backpressure (see relay), until either side closes.
 */
@Injectable()
export class ConsoleProxyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ConsoleProxy');
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    perMessageDeflate: false,
  });
  private readonly sessions = new Set<{ ws: WebSocket; backend: Socket }>();
  private server: Server | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tickets: ConsoleTicketService,
    private readonly authenticator: Authenticator,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    private readonly vms: VmRepository,
  ) {}

  /** Open proxied sessions (tests and diagnostics). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || typeof server.on !== 'function') return;
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  onApplicationShutdown(): void {
    this.server?.off('upgrade', this.onUpgrade);
    for (const s of this.sessions) {
      s.ws.close(1001, 'engine shutting down');
      s.backend.destroy();
    }
    this.sessions.clear();
    this.wss.close();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://engine');
    if (url.pathname !== CONSOLE_WS_PATH) {
      // Nothing else upgrades under /api: answer instead of leaving the client hanging.
      if (url.pathname.startsWith('/api/') && this.server?.listenerCount('upgrade') === 1)
        reject(socket, new Refusal(404, ErrorCode.NotFound, 'no WebSocket endpoint here'));
      return;
    }
    socket.on('error', () => undefined);
    this.handle(req, socket, head, url).catch((err: unknown) => {
      const refusal =
        err instanceof Refusal ? err : new Refusal(500, ErrorCode.Internal, 'console proxy failed');
      if (!(err instanceof Refusal)) this.logger.error(`console upgrade failed: ${String(err)}`);
      reject(socket, refusal);
    });
  };

  private async handle(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    const ticket = url.searchParams.get('ticket') ?? '';
    const vmId = url.searchParams.get('vm') ?? '';
    if (!TICKET_PATTERN.test(ticket))
      throw new Refusal(401, 'unauthorized', 'a console ticket is required (?ticket=)');
    // The caller's own session or token, from the engine's origin: a ticket alone is not enough.
    const principal = await this.authenticator
      .authenticate(req.headers, req.socket.remoteAddress ?? null)
      .catch((err: Error) => {
        throw new Refusal(401, 'unauthorized', err.message);
      });
    try {
      assertSameOrigin(req, this.config.auth.allowedOrigins, {
        upgrade: true,
        cookieSession: principal.via === 'session',
        trustProxy: this.config.auth.trustProxy.length > 0,
      });
    } catch (err) {
      throw new Refusal(403, 'forbidden', (err as Error).message);
    }
    // Consumed first, whatever follows: a ticket is never good twice.
    const grant = await this.tickets.consume(ticket);
    if (!grant)
      throw new Refusal(401, 'unauthorized', 'the console ticket is invalid, expired or already used');
    if (vmId !== grant.vmId) throw new Refusal(403, 'forbidden', 'the console ticket is for another VM');
    if (grant.userId !== principal.userId)
      throw new Refusal(403, 'forbidden', 'the console ticket was issued to another user');
    const backend = await this.openBackend(grant);
    if (socket.destroyed) {
      backend.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, backend, grant));
  }

  /** Connects to the target from the inventory and authenticates there (VNC password / serial token). */
  private async openBackend(grant: TicketGrant): Promise<Socket> {
    const vm = await this.vms.withHost(grant.vmId);
    if (!vm) throw new Refusal(404, ErrorCode.NotFound, `vm ${grant.vmId} does not exist`);
    if (!CONSOLE_STATES.has(vm.status) || !vm.hostId)
      throw new Refusal(409, ErrorCode.InvalidState, `VM ${vm.name} is ${vm.status}`);
    if (vm.hostId !== grant.hostId)
      throw new Refusal(
        409,
        ErrorCode.InvalidState,
        `VM ${vm.name} moved to another host: request a new ticket`,
      );
    const host = vm.host;
    if (!host) throw new Refusal(409, ErrorCode.InvalidState, `host of VM ${vm.name} is gone`);
    const port = grant.kind === 'vnc' ? vm.graphicsPort : grant.serialPort;
    if (!port) throw new Refusal(409, ErrorCode.InvalidState, `VM ${vm.name} has no ${grant.kind} console`);

    const backend = await connectTcp(host.address, port);
    try {
      if (grant.kind === 'vnc') await authenticateToServer(backend, grant.vncPassword);
      else backend.write(grant.serialToken ?? '');
    } catch (err) {
      backend.destroy();
      throw new Refusal(
        502,
        ErrorCode.HostUnavailable,
        `console of VM ${vm.name}: ${(err as Error).message}`,
      );
    }
    return backend;
  }

  private session(ws: WebSocket, backend: Socket, grant: TicketGrant): void {
    const entry = { ws, backend };
    this.sessions.add(entry);
    const handshake = grant.kind === 'vnc' ? handshakeStream(ws) : null;
    let done = false;
    const finish = (why: string) => {
      if (done) return;
      done = true;
      this.sessions.delete(entry);
      handshake?.stream.destroy();
      backend.destroy();
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
        ws.close(1000, why.slice(0, 100));
      this.logger.debug(`console ${grant.kind} of vm ${grant.vmId} closed: ${why}`);
    };
    ws.on('error', () => finish('client error'));
    backend.on('error', () => finish('backend error'));
    backend.on('close', () => finish('console closed by the host'));
    ws.on('close', () => finish('client closed'));

    const start = async () => {
      if (handshake) await acceptClientWithoutAuth(handshake.stream);
      if (done) return;
      relay(ws, backend, { pending: handshake?.release(), onError: finish });
    };
    start().catch((err: unknown) => finish(`handshake with the browser failed: ${(err as Error).message}`));
  }
}

function connectTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new Refusal(504, ErrorCode.Timeout, `console target did not answer within ${CONNECT_TIMEOUT_MS} ms`),
      );
    }, CONNECT_TIMEOUT_MS);
    s.once('connect', () => {
      clearTimeout(timer);
      s.setNoDelay(true);
      s.pause();
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(new Refusal(502, ErrorCode.HostUnavailable, `cannot reach the console: ${e.message}`));
    });
  });
}

function reject(socket: Duplex, r: Refusal): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code: r.code, message: r.message });
  socket.end(
    `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}
