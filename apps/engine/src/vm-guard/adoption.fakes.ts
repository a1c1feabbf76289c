import type { DomainMigrationInfo, Task } from '@kelpie/shared-types';
import { AgentCommandError } from '../agents/agent-command.error';
import type { TaskCheckpoint } from '../tasks/task-adoption';
import type { TaskContext, TasksService } from '../tasks/tasks.service';
import { DomainAbsent, type StepOutcome, TaskProbe } from './task-probe';

/** Fakes for the unit tests of adopters: the hosts' answers are given, nothing is sent anywhere. */
export const VM_ID = '00000000-0000-4000-8000-0000000000a1';
export const HOST = { id: 'host-1', name: 'h1' };

export function fakeCtx(type: string): TaskContext {
  const task = {
    id: 'task-1',
    type,
    target: { type: 'vm', id: VM_ID },
    progress: 40,
    requestedBy: 'tester',
    correlationId: 'corr-1',
  } as unknown as Task;
  return {
    task,
    progress: jest.fn(async () => undefined),
    isCancelled: async () => false,
    checkpoint: jest.fn(),
  };
}

export const cp = (phase: string, data: Record<string, unknown> = {}): TaskCheckpoint => ({
  phase,
  hostId: HOST.id,
  ...data,
});

/** What the host answers: a domain state (or absent), its devices, a step's outcome, a question's answer. */
export interface HostAnswers {
  vm?: Record<string, unknown>;
  state?: string;
  devices?: Partial<DomainMigrationInfo> | null;
  outcome?: StepOutcome<never> | { state: 'completed'; result: unknown };
  /** vm.snapshot.list etc. (`absent`: the host does not know the domain). */
  ask?: unknown;
}

export function fakeProbe(h: HostAnswers): TaskProbe & { outcome: jest.Mock } {
  const vm = { id: VM_ID, name: 'vm1', status: 'up', ...h.vm };
  const fake = {
    target: jest.fn(async () => ({ vm, host: HOST })),
    domain: jest.fn(async () => ({ state: h.state ?? 'running' })),
    devices: jest.fn(async () =>
      h.devices === null ? null : { disks: [], interfaces: [], state: h.state ?? 'running', ...h.devices },
    ),
    ask: jest.fn(async () => {
      if (h.ask === 'absent') throw new DomainAbsent();
      return h.ask;
    }),
    outcome: jest.fn(async () => h.outcome ?? { state: 'unsure' }),
  } as unknown as TaskProbe & { outcome: jest.Mock };
  // The real decision on a step's outcome, over the faked outcome.
  fake.stepResult = TaskProbe.prototype.stepResult.bind(fake) as never;
  return fake;
}

export const failedStep = (message: string) => ({
  state: 'failed' as const,
  error: new AgentCommandError({ code: 'libvirt_error', message }),
});

/** A TasksService whose registerAdopter collects the adopters (onModuleInit is checked too). */
export function fakeTasks(): TasksService & { registered: Map<string, unknown> } {
  const registered = new Map<string, unknown>();
  return { registered, registerAdopter: (t: string, a: unknown) => registered.set(t, a) } as never;
}
