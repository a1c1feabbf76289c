import { ErrorCode } from '@kelpie/shared-types';
import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { DomainError, notFound } from './domain-error';
import { DomainErrorFilter } from './domain-error.filter';

function run(exception: unknown) {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn().mockReturnThis() };
  const req = { method: 'GET', originalUrl: '/api/v1/vms/x' };
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new DomainErrorFilter().catch(exception, host);
  return res;
}

describe('DomainErrorFilter logging', () => {
  let info: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    info = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs an expected 4xx at info, one line, without a stack', () => {
    const res = run(notFound('vm', 'x'));
    expect(res.status).toHaveBeenCalledWith(404);
    expect(error).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledTimes(1);
    const line = String(info.mock.calls[0][0]);
    expect(line).toBe('GET /api/v1/vms/x -> 404 not_found: vm x does not exist');
    expect(line).not.toMatch(/\n\s+at /);
  });

  it('logs a Nest HttpException 4xx (validation) at info too', () => {
    run(new BadRequestException('bad'));
    expect(error).not.toHaveBeenCalled();
    expect(String(info.mock.calls[0][0])).toContain('-> 400 validation_failed: bad');
  });

  it('logs a 5xx at error with the stack', () => {
    const res = run(new Error('boom'));
    expect(res.status).toHaveBeenCalledWith(500);
    expect(res.json).toHaveBeenCalledWith({ code: ErrorCode.Internal, message: 'internal error' });
    expect(info).not.toHaveBeenCalled();
    const line = String(error.mock.calls[0][0]);
    expect(line).toContain('GET /api/v1/vms/x -> 500: Error: boom');
    expect(line).toMatch(/\n\s+at /);
  });

  it('answers 503 database_unavailable while Postgres is away, logged as one warning line', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED' });
    const res = run(outage);
    expect(res.status).toHaveBeenCalledWith(503);
    expect(res.json).toHaveBeenCalledWith(expect.objectContaining({ code: ErrorCode.DatabaseUnavailable }));
    expect(error).not.toHaveBeenCalled();
    expect(String(warn.mock.calls[0][0])).not.toMatch(/\n\s+at /);
  });

  it('logs a 5xx the engine answers on purpose (host unavailable) as one warning line', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const res = run(new DomainError(ErrorCode.HostUnavailable, 'host h1 is not up'));
    expect(res.status).toHaveBeenCalledWith(503);
    expect(error).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'GET /api/v1/vms/x -> 503 host_unavailable: host h1 is not up',
    ]);
  });

  it('logs an internal domain error at error with the stack (a bug, whoever threw it)', () => {
    run(new DomainError(ErrorCode.Internal, 'no access rule'));
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toMatch(/\n\s+at /);
  });
});
