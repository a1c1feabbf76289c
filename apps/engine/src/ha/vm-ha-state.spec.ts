import { VmStatus } from '@kelpie/shared-types';
import { vmHaState, VmHaFacts } from './vm-ha-state';

const base: VmHaFacts = {
  highlyAvailable: true,
  status: VmStatus.Up,
  statusReason: null,
  lastRestart: null,
  lastFailure: null,
};
const at = (iso: string, message = 'm') => ({ at: iso, kind: 'other-host' as const, message, eventId: 'e' });

describe('the HA state of a VM', () => {
  it('off when not highly available, whatever happened', () => {
    expect(vmHaState({ ...base, highlyAvailable: false, status: VmStatus.Unknown }).state).toBe('off');
  });

  it('protected while it runs, awaiting a fence while its host does not answer', () => {
    expect(vmHaState(base).state).toBe('protected');
    expect(vmHaState({ ...base, status: VmStatus.Paused }).state).toBe('protected');
    expect(vmHaState({ ...base, status: VmStatus.Unknown })).toMatchObject({
      state: 'awaiting-fence',
      detail: expect.stringMatching(/fenced or confirmed rebooted/),
    });
  });

  it('restart-failed when down after a failure newer than the last restart, else down with its reason', () => {
    const failure = at('2026-12-07T10:00:00.000Z', 'crashed 3 times in 10 min: not restarted');
    expect(vmHaState({ ...base, status: VmStatus.Down, lastFailure: failure })).toEqual({
      state: 'restart-failed',
      detail: 'crashed 3 times in 10 min: not restarted',
    });
    expect(
      vmHaState({
        ...base,
        status: VmStatus.Down,
        statusReason: 'stopped by admin',
        lastFailure: failure,
        lastRestart: at('2026-12-07T11:00:00.000Z'),
      }),
    ).toEqual({ state: 'down', detail: 'down: stopped by admin' });
    // A failure followed by a later successful run is history, not the state.
    expect(vmHaState({ ...base, lastFailure: failure }).state).toBe('protected');
  });
});
