import { leaseVerdict, LeaseObservation } from './host-lease-verdict';

const NOW = 1_000_000;
const T = 60_000;
const at = (msAgo: number) => new Date(NOW - msAgo);
const obs = (o: Partial<LeaseObservation>): LeaseObservation => ({
  renewedAt: null,
  unchangedSince: at(0),
  checkedAt: at(0),
  checkedBy: 'h2',
  ...o,
});

describe('lease verdict', () => {
  it('is unknown without observations', () => {
    expect(leaseVerdict(null, NOW, T)).toBe('unknown');
  });

  it('renewing while a renewal was seen within the timeout', () => {
    expect(leaseVerdict(obs({ renewedAt: at(T) }), NOW, T)).toBe('renewing');
    expect(leaseVerdict(obs({ renewedAt: at(T + 1), unchangedSince: at(T + 1) }), NOW, T)).toBe('expired');
  });

  it('expired only when watched unchanged for longer than the timeout, by a recent look', () => {
    expect(leaseVerdict(obs({ unchangedSince: at(T + 5000), checkedAt: at(1000) }), NOW, T)).toBe('expired');
    // Watched for exactly the timeout: not yet.
    expect(leaseVerdict(obs({ unchangedSince: at(T + 1000), checkedAt: at(1000) }), NOW, T)).toBe('unknown');
    // The last look is older than the timeout: nobody can say now.
    expect(leaseVerdict(obs({ unchangedSince: at(3 * T), checkedAt: at(T + 1) }), NOW, T)).toBe('unknown');
  });
});
