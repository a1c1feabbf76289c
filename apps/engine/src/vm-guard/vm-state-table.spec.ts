import { VmStatus } from '@kelpie/shared-types';
import { checkTransition, EXPECTED_STATUS, stateTable, VM_ACTIONS, VmAction } from './vm-state-table';

const S = VmStatus;
const ALL = Object.values(VmStatus);

/** The intended table, written out independently of the implementation: the allowed statuses. */
const ALLOWED: Record<VmAction, VmStatus[]> = {
  start: [S.Down, S.Crashed],
  shutdown: [S.Up, S.RebootInProgress],
  poweroff: [S.Up, S.Starting, S.Paused, S.PoweringDown, S.RebootInProgress, S.Suspended],
  reboot: [S.Up],
  reset: [S.Up, S.RebootInProgress],
  suspend: [S.Up],
  resume: [S.Paused],
  delete: [S.Down, S.Crashed],
  'delete-force': [
    S.Down,
    S.Starting,
    S.Up,
    S.Paused,
    S.PoweringDown,
    S.RebootInProgress,
    S.Suspended,
    S.Crashed,
  ],
  edit: [S.Down, S.Up, S.Paused, S.Crashed],
  hotplug: [S.Down, S.Up, S.Paused],
  clone: [S.Down],
  'make-template': [S.Down],
  snapshot: [S.Down, S.Up, S.Paused],
  'snapshot-revert': [S.Down, S.Up, S.Paused],
  'snapshot-delete': [S.Down, S.Up, S.Paused],
  'cloud-init': [S.Down, S.Up, S.Paused],
};

describe('templates in the VM state table', () => {
  it('never lets a template start, whatever its status', () => {
    for (const s of ALL) expect(checkTransition('start', s, { isTemplate: true }).allowed).toBe(false);
    expect(checkTransition('start', S.Down, { isTemplate: true })).toEqual({
      allowed: false,
      reason: expect.stringMatching(/template/),
    });
    expect(checkTransition('start', S.Down, { isTemplate: false }).allowed).toBe(true);
    expect(checkTransition('clone', S.Down, { isTemplate: true }).allowed).toBe(true);
    expect(checkTransition('snapshot', S.Down, { isTemplate: true }).allowed).toBe(false);
  });
});

describe('VM state table', () => {
  const cells = VM_ACTIONS.flatMap((a) => ALL.map((s) => [a, s] as const));

  it.each(cells)('%s in status %s', (action, status) => {
    const verdict = checkTransition(action, status);
    expect(verdict.allowed).toBe(ALLOWED[action].includes(status));
    if (!verdict.allowed) {
      expect(verdict.reason).toMatch(/\S{3,}/);
      expect(verdict.reason.length).toBeLessThan(200);
    }
  });

  it('covers every action × status exactly once', () => {
    expect(stateTable()).toHaveLength(VM_ACTIONS.length * ALL.length);
  });

  it('names the reason users need for common mistakes', () => {
    expect(checkTransition('start', S.Up)).toEqual({ allowed: false, reason: 'the VM is already up' });
    expect(checkTransition('start', S.Paused)).toMatchObject({ reason: expect.stringContaining('resume') });
    expect(checkTransition('suspend', S.Down)).toMatchObject({ allowed: false });
    expect(checkTransition('delete', S.Up)).toMatchObject({ reason: expect.stringContaining('force=true') });
    expect(checkTransition('delete-force', S.MigratingFrom)).toMatchObject({
      reason: expect.stringContaining('migrat'),
    });
    expect(checkTransition('poweroff', S.Unknown)).toMatchObject({
      reason: expect.stringContaining('unknown'),
    });
  });

  it('expects a final status for every power action', () => {
    for (const a of ['start', 'shutdown', 'poweroff', 'reboot', 'reset', 'suspend', 'resume'] as const)
      expect(EXPECTED_STATUS[a]).toBeDefined();
  });
});
