import type { TaskStep } from '@kelpie/shared-types';
import { EnrollSteps, ENROLL_STEPS, StepFailure } from './enroll-steps';

describe('EnrollSteps', () => {
  it('publishes each step with its result; a failure skips the rest and names the step', async () => {
    const published: { steps: TaskStep[]; message: string }[] = [];
    const steps = new EnrollSteps(async (list, message) => void published.push({ steps: list, message }));
    await steps.run('ssh', async () => 'logged in');
    await expect(
      steps.run('system', async () => {
        throw new Error('not a Linux host');
      }),
    ).rejects.toThrow(new StepFailure('system: not a Linux host'));
    const last = published.at(-1)!;
    expect(last.message).toBe('system: not a Linux host');
    expect(last.steps[0]).toEqual({ name: 'ssh', status: 'done', message: 'logged in' });
    expect(last.steps[1]).toEqual({ name: 'system', status: 'failed', message: 'not a Linux host' });
    expect(last.steps.slice(2).map((s) => s.status)).toEqual(ENROLL_STEPS.slice(2).map(() => 'skipped'));
  });
});
