import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable, whileDatabaseAway } from './database-unavailable';

describe('whileDatabaseAway', () => {
  it('repeats work while Postgres is restarting, then returns its result', async () => {
    const errors = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ];
    const work = jest.fn(async () => {
      const e = errors.shift();
      if (e) throw e;
      return 'applied';
    });
    await expect(whileDatabaseAway(work, 10_000)).resolves.toBe('applied');
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('throws other errors at once', async () => {
    const work = jest.fn(async () => {
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    });
    await expect(whileDatabaseAway(work, 10_000)).rejects.toThrow('duplicate key');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("recognises TypeORM's released-connection error: Postgres dropped a transaction's connection", () => {
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it('recognises a TypeORM error around a terminated connection', () => {
    expect(
      isDatabaseUnavailable({ message: 'x', driverError: { message: 'Connection terminated unexpectedly' } }),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('relation "vm" does not exist'))).toBe(false);
  });
});
