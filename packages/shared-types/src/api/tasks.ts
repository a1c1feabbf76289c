import type { EventSeverity, TaskStatus } from '../enums';
import type { ErrorCode } from '../errors';
import type { ObjectRef } from './common';

export interface TaskStep {
  name: string;
  /** The object the step is about, when it is one (an evacuation step: the VM it moves). Absent in
   * steps recorded before it existed. */
  objectId?: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  message?: string;
}

/** A long action. Final statuses: succeeded, failed, cancelled, interrupted (engine restarted). */
export interface Task {
  id: string;
  type: string;
  target: ObjectRef | null;
  status: TaskStatus;
  progress: number;
  progressMessage: string | null;
  steps: TaskStep[];
  result: Record<string, unknown> | null;
  errorCode: ErrorCode | 'interrupted' | 'cancelled' | null;
  errorMessage: string | null;
  requestedBy: string;
  correlationId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One entry of the audit log. */
export interface AuditEvent {
  id: string;
  time: string;
  severity: EventSeverity;
  /** Dotted kind, e.g. `vm.created`, `task.failed`, `host.status`. */
  type: string;
  message: string;
  /** Every object the event concerns; the first is the main one. */
  refs: ObjectRef[];
  correlationId: string | null;
  /** Who caused it: the authenticated user (with the API token used, if any) and the source address;
   * null for the engine's own work (monitoring, retention, recovery). */
  actor: AuditActor | null;
}

export interface AuditActor {
  userId: string;
  username: string;
  tokenId: string | null;
  sourceAddress: string | null;
}
