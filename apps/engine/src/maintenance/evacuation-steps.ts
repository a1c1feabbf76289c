import type { TaskStep } from '@kelpie/shared-types';

/**
 * The evacuation plan of a maintenance task, one task step per VM (name = VM name, objectId = VM id),
 * so the portal can show it VM by VM while it runs: waiting → migrating to <host> → migrated to <host>
 * | failed: reason.
 */
export class EvacuationSteps {
  private readonly steps = new Map<string, TaskStep>();

  constructor(vms: { id: string; name: string }[]) {
    for (const vm of vms)
      this.steps.set(vm.id, { name: vm.name, objectId: vm.id, status: 'pending', message: 'waiting' });
  }

  migrating(vmId: string, targetHost: string): void {
    this.set(vmId, 'running', `migrating to ${targetHost}`);
  }

  migrated(vmId: string, targetHost: string): void {
    this.set(vmId, 'done', `migrated to ${targetHost}`);
  }

  failed(vmId: string, reason: string): void {
    this.set(vmId, 'failed', reason);
  }

  list(): TaskStep[] {
    return [...this.steps.values()].map((s) => ({ ...s }));
  }

  private set(vmId: string, status: TaskStep['status'], message: string): void {
    const step = this.steps.get(vmId);
    if (step) this.steps.set(vmId, { ...step, status, message });
  }
}
