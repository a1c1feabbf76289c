/** `POST /api/v1/vms/{id}/console` and `/serial-console` answer with a one-time console ticket. */
export type ConsoleKind = 'vnc' | 'serial';

export interface ConsoleTicket {
  /** 256-bit random, base64url; single use, valid until `expiresAt`. */
  ticket: string;
  kind: ConsoleKind;
  vmId: string;
  /** ISO time after which the ticket is refused. */
  expiresAt: string;
  /** Path of the WebSocket to open with the ticket, e.g. `/api/v1/console/ws?ticket=…`. */
  wsPath: string;
  /** Absent: the engine's proxy authenticates to the VNC server itself and the browser gets an
   * unauthenticated RFB stream (see docs/adr/0006-console-tickets.md). */
  password?: string;
}

/** Query parameter name of the ticket on the console WebSocket. */
export const CONSOLE_WS_PATH = '/api/v1/console/ws';
