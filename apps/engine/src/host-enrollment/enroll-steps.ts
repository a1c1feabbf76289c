import type { TaskStep } from '@kelpie/shared-types';

/** Every step of an enrollment, in order: preflight over SSH, then the install, the disk leases (libvirt's
 * lock manager), then the first heartbeat. */
export const ENROLL_STEPS = [
  'ssh',
  'system',
  'cpu',
  'kvm',
  'libvirt',
  'resources',
  'virt-host-validate',
  'clock',
  'node',
  'network',
  'install',
  'leases',
  'start',
  'heartbeat',
] as const;
export type EnrollStepName = (typeof ENROLL_STEPS)[number];

/** A step that cannot pass: `message` says what is wrong and what to fix on the host. */
export class StepFailure extends Error {}

/** The task's steps: each pending → running → done | failed | skipped, with its result as message. */
export class EnrollSteps {
  private readonly steps = new Map<EnrollStepName, TaskStep>(
    ENROLL_STEPS.map((name) => [name, { name, status: 'pending' }]),
  );

  constructor(private readonly publish: (steps: TaskStep[], message: string, pct: number) => Promise<void>) {}

  /** Runs one step; its return value is the step's result, a throw fails it (and the enrollment). */
  async run(name: EnrollStepName, work: () => Promise<string>): Promise<void> {
    await this.set(name, 'running', undefined);
    let message: string;
    try {
      message = await work();
    } catch (e) {
      for (const [other, step] of this.steps) if (step.status === 'pending') this.mark(other, 'skipped');
      await this.set(name, 'failed', (e as Error).message);
      throw new StepFailure(`${name}: ${(e as Error).message}`);
    }
    await this.set(name, 'done', message);
  }

  list(): TaskStep[] {
    return [...this.steps.values()].map((s) => ({ ...s }));
  }

  private mark(name: EnrollStepName, status: TaskStep['status'], message?: string): void {
    this.steps.set(name, { name, status, ...(message === undefined ? {} : { message }) });
  }

  private async set(name: EnrollStepName, status: TaskStep['status'], message: string | undefined) {
    this.mark(name, status, message);
    const done = [...this.steps.values()].filter((s) => s.status === 'done').length;
    await this.publish(
      this.list(),
      message === undefined ? `${name}…` : `${name}: ${message}`,
      Math.round((done / ENROLL_STEPS.length) * 100),
    );
  }
}
