import { domiftuneArgs } from './vm-devices';

describe('domiftuneArgs', () => {
  it('gives each direction as average[,peak[,burst]] and clears a direction without a limit', () => {
    expect(domiftuneArgs({ inbound: { average: 700, peak: 900, burst: 64 } })).toEqual([
      '--inbound',
      '700,900,64',
      '--outbound',
      '0',
    ]);
    expect(domiftuneArgs({ inbound: { average: 700, burst: 64 }, outbound: { average: 500 } })).toEqual([
      '--inbound',
      '700,,64',
      '--outbound',
      '500',
    ]);
    expect(domiftuneArgs({})).toEqual(['--inbound', '0', '--outbound', '0']);
  });
});
