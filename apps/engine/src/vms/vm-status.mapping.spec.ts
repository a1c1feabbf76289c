import { VmStatus } from '@kelpie/shared-types';
import { isActive, vmStatusOf } from './vm-status.mapping';

describe('vmStatusOf', () => {
  it.each([
    ['running', undefined, VmStatus.Up],
    ['blocked', undefined, VmStatus.Up],
    ['paused', 'user', VmStatus.Paused],
    ['paused', 'migration', VmStatus.MigratingFrom],
    ['pmsuspended', undefined, VmStatus.Suspended],
    ['shutdown', undefined, VmStatus.PoweringDown],
    ['crashed', undefined, VmStatus.Crashed],
    ['shutoff', 'destroyed', VmStatus.Down],
    ['nostate', undefined, VmStatus.Unknown],
  ] as const)('%s (%s) → %s', (state, reason, expected) => {
    expect(vmStatusOf({ state, reason })).toBe(expected);
  });

  it('treats a vanished domain as down', () => {
    expect(vmStatusOf(null)).toBe(VmStatus.Down);
  });

  it('knows which states occupy a host', () => {
    expect(isActive(VmStatus.Up)).toBe(true);
    expect(isActive(VmStatus.Paused)).toBe(true);
    expect(isActive(VmStatus.Down)).toBe(false);
    expect(isActive(VmStatus.Unknown)).toBe(false);
  });
});
