import type { HostStatus, VmStatus } from '../enums';
import type { ObjectRef } from './common';
import type { AuditEvent, Task } from './tasks';

/** Messages of the live stream (`GET /api/v1/events/stream`, Server-Sent Events, one JSON per `data:`). */
interface StreamMessageBase {
  /** ISO time the message was published. */
  time: string;
  /** Every object the message concerns (filters match any of them). */
  refs: ObjectRef[];
  correlationId?: string | null;
}

export interface TaskCreatedMessage extends StreamMessageBase {
  type: 'task.created';
  task: Task;
}
/** Started, progressed or changed steps. */
export interface TaskProgressMessage extends StreamMessageBase {
  type: 'task.progress';
  task: Task;
}
export interface TaskFinishedMessage extends StreamMessageBase {
  type: 'task.finished';
  task: Task;
}
export interface ObjectCreatedMessage extends StreamMessageBase {
  type: 'object.created';
  object: ObjectRef;
  data: Record<string, unknown>;
}
export interface ObjectUpdatedMessage extends StreamMessageBase {
  type: 'object.updated';
  object: ObjectRef;
  /** Names of the fields whose value changed. */
  changes: string[];
  data: Record<string, unknown>;
}
export interface ObjectDeletedMessage extends StreamMessageBase {
  type: 'object.deleted';
  object: ObjectRef;
}
export interface HostStatusMessage extends StreamMessageBase {
  type: 'host.status';
  object: ObjectRef;
  from: HostStatus;
  to: HostStatus;
  reason: string | null;
}
export interface VmStatusMessage extends StreamMessageBase {
  type: 'vm.status';
  object: ObjectRef;
  from: VmStatus;
  to: VmStatus;
  hostId: string | null;
  reason: string | null;
}
export interface EventRecordedMessage extends StreamMessageBase {
  type: 'event.recorded';
  event: AuditEvent;
}

/**
 * Messages were lost: reload what is shown. Sent to one client just before the engine closes its
 * stream because the client fell behind (it did not read fast enough; reconnect after reloading),
 * and to every client, on an open stream, when the engines' Redis link was cut and came back (an
 * engine could not publish, or its subscription was down for a while).
 */
export interface StreamResyncMessage extends StreamMessageBase {
  type: 'stream.resync';
  reason: string;
}

export type StreamMessage =
  | TaskCreatedMessage
  | TaskProgressMessage
  | TaskFinishedMessage
  | ObjectCreatedMessage
  | ObjectUpdatedMessage
  | ObjectDeletedMessage
  | HostStatusMessage
  | VmStatusMessage
  | EventRecordedMessage
  | StreamResyncMessage;

export type StreamMessageType = StreamMessage['type'];

export const STREAM_MESSAGE_TYPES: readonly StreamMessageType[] = [
  'task.created',
  'task.progress',
  'task.finished',
  'object.created',
  'object.updated',
  'object.deleted',
  'host.status',
  'vm.status',
  'event.recorded',
  'stream.resync',
];

/** Seconds between heartbeat comments on the stream. */
export const STREAM_HEARTBEAT_SECONDS = 15;
